import Foundation
import Hummingbird
import HummingbirdCore
import UnpodCore

/// `start_date` and `end_date` as the lists take them: a date, or an ISO 8601 timestamp in the
/// documented forms (decisions.md section 4). `from` is inclusive, `before` exclusive.
struct DateRange {
    var from: Date?
    var before: Date?

    init(_ query: FlatDictionary<Substring, Substring>) throws {
        if let text = query["start_date"] {
            guard let start = Timestamp.parse(String(text)) else {
                throw APIError.invalidParameters("start_date must be a date or an ISO 8601 timestamp")
            }
            from = start.date
        }
        if let text = query["end_date"] {
            guard let end = Timestamp.parse(String(text)) else {
                throw APIError.invalidParameters("end_date must be a date or an ISO 8601 timestamp")
            }
            // A date alone includes that whole day (UTC); a timestamp includes that instant.
            before = end.isDateOnly ? end.date.addingTimeInterval(86_400) : end.date.addingTimeInterval(0.001)
        }
    }
}
