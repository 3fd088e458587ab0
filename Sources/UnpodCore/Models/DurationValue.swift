import Foundation

/// A duration given either as seconds (`3600`) or as text (`"30d"`, `"24h"`).
public struct DurationValue: Sendable, Equatable {
    public var seconds: TimeInterval

    public init(seconds: TimeInterval) { self.seconds = seconds }
}
