import NIOCore

extension Duration {
    /// The duration in seconds, with its fraction.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
    /// As NIO's time amount (for an HTTP client's deadline), to the millisecond.
    var timeAmount: TimeAmount { .milliseconds(Int64(milliseconds.rounded(.up))) }
}
