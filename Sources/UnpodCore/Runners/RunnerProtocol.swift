import Foundation

/// The control socket of the `unpod` SDK's `AgentRunner` (agent-runner-protocol.md section 1): JSON
/// text frames on `/v1/internal/workers`, each with a `type`. The runner sends a
/// ``RunnerClientMessage``, the server a ``RunnerServerMessage``; both are spelled on the wire in
/// one place, ``RunnerFrame``.
///
/// The runner drops the socket on any frame it does not know, so the server sends only
/// `registered`, `job.assign` and `job.cancel` (the only cases ``RunnerServerMessage`` has).
public enum RunnerProtocol {
    public static let path = "/v1/internal/workers"
    /// What `registered` asks for; the runner's heartbeat loop spins on 0.
    public static let heartbeatIntervalSeconds = 10
    /// The only transport this server speaks: the runner dials each call's bridge socket.
    public static let dialOut = "dial_out"

    public static func encode(_ message: RunnerServerMessage) -> String {
        text(RunnerFrame(message))
    }

    public static func encode(_ message: RunnerClientMessage) -> String {
        text(RunnerFrame(message))
    }

    /// A runner's frame, or nil when it is not a JSON object with a `type`.
    public static func clientMessage(_ text: String) -> RunnerClientMessage? {
        frame(text).map(RunnerClientMessage.init)
    }

    /// The server's frame, or nil when it is not a JSON object with a `type`.
    public static func serverMessage(_ text: String) -> RunnerServerMessage? {
        frame(text).flatMap(RunnerServerMessage.init)
    }

    private static func text(_ frame: RunnerFrame) -> String {
        (try? String(decoding: JSONEncoder.unpod().encode(frame), as: UTF8.self)) ?? "{}"
    }

    private static func frame(_ text: String) -> RunnerFrame? {
        try? JSONDecoder.unpod().decode(RunnerFrame.self, from: Data(text.utf8))
    }
}
