import Foundation

/// The time source every expiry, grace and last-used decision reads, so tests can hand the server a
/// clock they move instead of sleeping.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The real clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
