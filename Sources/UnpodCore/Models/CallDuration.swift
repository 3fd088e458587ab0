import Foundation

/// Whole seconds, given as an integer or as `H:MM:SS`.
public struct CallDuration: Sendable, Equatable {
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// `H:MM:SS` such as `0:05:25`; nil for any other text.
    public init?(text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let hours = Int(parts[0]), let minutes = Int(parts[1]), let seconds = Int(parts[2]),
            parts[1].count == 2, parts[2].count == 2, (0..<60).contains(minutes), (0..<60).contains(seconds),
            (0...10_000).contains(hours)
        else { return nil }
        self.seconds = hours * 3600 + minutes * 60 + seconds
    }
}
