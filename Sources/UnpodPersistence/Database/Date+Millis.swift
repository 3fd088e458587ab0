import Foundation

extension Date {
    /// The stored form of a timestamp: whole milliseconds since 1970, UTC.
    var millis: Int64 { Int64((timeIntervalSince1970 * 1000).rounded(.down)) }

    init(millis: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }
}

extension Optional where Wrapped == Date {
    var millis: Int64? { map(\.millis) }
}
