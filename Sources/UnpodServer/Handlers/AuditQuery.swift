import Foundation
import HummingbirdCore
import UnpodCore

/// `GET /audit-log/`'s query, read by the platform's rules: `scope` (`organization`, the default,
/// or `self`), `action`, `actor`, the date range and the page.
struct AuditQuery {
    var selfOnly: Bool
    var action: String?
    var actor: String?
    var dates: DateRange
    var paging: Pagination

    init(_ query: FlatDictionary<Substring, Substring>) throws {
        switch query["scope"] {
        case "self": selfOnly = true
        case nil, "organization": selfOnly = false
        default: throw APIError.invalidParameters("scope must be organization or self")
        }
        paging = try Pagination(query)
        if let action = query["action"] {
            guard AuditActions.all.contains(String(action)) else {
                throw APIError.invalidParameters("action must be one of \(AuditActions.all.sorted().joined(separator: ", "))")
            }
            self.action = String(action)
        }
        if let actor = query["actor"] {
            guard (1...254).contains(actor.count) else { throw APIError.invalidParameters("actor must be 1 to 254 characters") }
            self.actor = String(actor)
        }
        dates = try DateRange(query)
    }
}
