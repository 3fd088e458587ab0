import Foundation

/// The bridge socket of one call (agent-runner-protocol.md section 2): the runner dials
/// `/v1/bridge/{call}?token=…`, says `hello`, and the server answers `hello.ack` and
/// `call.started`; then user turns go to the runner and the agent's verbs come back.
///
/// The runner ends the call on any event it does not know, so the server sends only what
/// ``BridgeServerMessage`` has.
public enum BridgeProtocol {
    public static let pathPrefix = "/v1/bridge/"
    public static let version = 2

    public static func encode(_ message: BridgeServerMessage) -> String { message.frame.encoded() }
    public static func encode(_ message: BridgeRunnerMessage) -> String { message.frame.encoded() }

    /// The runner's frame, or nil when it is not a JSON object with an `event`.
    public static func runnerMessage(_ text: String) -> BridgeRunnerMessage? {
        CallFrame.decode(text).map(BridgeRunnerMessage.init)
    }

    public static func serverMessage(_ text: String) -> BridgeServerMessage? {
        CallFrame.decode(text).flatMap(BridgeServerMessage.init)
    }
}
