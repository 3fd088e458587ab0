import Foundation

/// The agent-worker protocol, version 1 (README, "Agent workers"): JSON text frames on
/// `/agents/worker?access_token=…`, each with a `type` and `v`. Shared by the server, the Swift SDK
/// and `unpod worker`: what a worker sends is a ``WorkerClientMessage``, what the server sends a
/// ``WorkerServerMessage``; both are spelled on the wire in one place, ``WorkerFrame``.
public enum WorkerProtocol {
    public static let version = 1
    public static let path = "/agents/worker"

    /// A frame's text; a message that cannot be encoded (it always can) goes out as a bare error.
    public static func encode(_ message: WorkerClientMessage) -> String {
        text(WorkerFrame(message))
    }

    public static func encode(_ message: WorkerServerMessage) -> String {
        text(WorkerFrame(message))
    }

    /// A worker's frame, or nil when it is not a JSON object with a `type`.
    public static func clientMessage(_ text: String) -> WorkerClientMessage? {
        frame(text).map(WorkerClientMessage.init)
    }

    /// The server's frame, or nil when it is not a JSON object with a `type`.
    public static func serverMessage(_ text: String) -> WorkerServerMessage? {
        frame(text).map(WorkerServerMessage.init)
    }

    private static func text(_ frame: WorkerFrame) -> String {
        (try? String(decoding: JSONEncoder.unpod().encode(frame), as: UTF8.self)) ?? #"{"type":"error","v":1}"#
    }

    private static func frame(_ text: String) -> WorkerFrame? {
        try? JSONDecoder.unpod().decode(WorkerFrame.self, from: Data(text.utf8))
    }
}
