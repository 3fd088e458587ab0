import Foundation

/// A voice agent (platform-api.md 2.3): `handle` is what tasks name as `pilot` and `assignee`.
public struct Agent: Sendable, Equatable {
    public enum State: String, Codable, Sendable, CaseIterable { case draft, published, archived }

    public var handle: String
    public var name: String
    public var type: String
    public var state: State
    public var purpose: String

    public init(handle: String, name: String, type: String, state: State, purpose: String) {
        self.handle = handle
        self.name = name
        self.type = type
        self.state = state
        self.purpose = purpose
    }
}
