import Foundation

/// The room server's protocol on `/rtc`, version 1 (README, "Realtime rooms"): JSON text frames,
/// each with a `type` and `v`. What a participant sends is a ``RoomClientMessage``, what the server
/// sends a ``RoomServerMessage``; shared by the server and the Swift SDK.
public enum RoomProtocol {
    public static let version = 1

    public static func encode(_ message: RoomClientMessage) -> String {
        text(RoomFrame(message))
    }

    public static func encode(_ message: RoomServerMessage) -> String {
        text(RoomFrame(message))
    }

    /// A participant's frame and the version it names, or nil when it is not a JSON object with a `type`.
    public static func clientMessage(_ text: String) -> (message: RoomClientMessage, version: Int?)? {
        frame(text).map { (RoomClientMessage($0), $0.v) }
    }

    /// The server's frame, or nil when it is not a JSON object with a `type`.
    public static func serverMessage(_ text: String) -> RoomServerMessage? {
        frame(text).map(RoomServerMessage.init)
    }

    private static func text(_ frame: RoomFrame) -> String {
        (try? String(decoding: encoder.encode(frame), as: UTF8.self)) ?? #"{"type":"error","v":1}"#
    }

    private static func frame(_ text: String) -> RoomFrame? {
        try? decoder.decode(RoomFrame.self, from: Data(text.utf8))
    }

    // Neither coder is mutated after creation, so one of each serves every connection.
    private static let decoder = JSONDecoder()
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
