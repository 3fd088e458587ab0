import Foundation

/// The caller side of a call: one WebSocket protocol for whoever speaks for the human (the
/// dashboard's test-call page, `unpod call`, a script, a phone gateway doing its own speech to text).
/// It sends user turns and hangs up; it receives the call's status and the agent's verbs as they come.
public enum CallerProtocol {
    public static let pathPrefix = "/v1/calls/"
    public static let pathSuffix = "/media"

    public static func encode(_ message: CallerServerMessage) -> String { message.frame.encoded() }
    public static func encode(_ message: CallerClientMessage) -> String { message.frame.encoded() }

    public static func clientMessage(_ text: String) -> CallerClientMessage? {
        CallFrame.decode(text).map(CallerClientMessage.init)
    }

    public static func serverMessage(_ text: String) -> CallerServerMessage? {
        CallFrame.decode(text).flatMap(CallerServerMessage.init)
    }
}
