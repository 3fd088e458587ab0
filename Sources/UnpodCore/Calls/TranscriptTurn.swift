import Foundation

/// One turn of a call's transcript: who spoke (`agent` or `user`), what, and when it was complete.
public struct TranscriptTurn: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable {
        case agent, user
    }

    public var role: Role
    public var content: String
    public var timestamp: Date

    public init(role: Role, content: String, timestamp: Date) {
        self.role = role
        self.content = content
        self.timestamp = timestamp
    }
}
