import Foundation
import SQLKit
import UnpodCore

/// Who makes a change, and from where: written into the audit event of every change.
public struct AuditActor: Sendable, Equatable {
    public var type: String
    public var userID: Int?
    public var email: String?
    public var keyID: String?
    public var clientAddress: String?
    public var requestID: String?

    /// A user acting through one of their API keys, over the API.
    public static func apiKey(
        _ keyID: String, userID: Int, email: String?, clientAddress: String?, requestID: String?
    ) -> AuditActor {
        AuditActor(
            type: "api_key", userID: userID, email: email, keyID: keyID, clientAddress: clientAddress,
            requestID: requestID)
    }

    /// A user signed in to the dashboard (issue 8).
    public static func dashboard(userID: Int, email: String, clientAddress: String?, requestID: String?) -> AuditActor {
        AuditActor(type: "dashboard", userID: userID, email: email, clientAddress: clientAddress, requestID: requestID)
    }

    /// The server itself, in a background task (closing a month's invoices).
    public static let system = AuditActor(type: "system")

    /// The operator on the command line (`unpod users create`, `unpod keys revoke`, …).
    public static let cli = AuditActor(type: "cli")
}

/// Which events `GET /audit-log/` and `unpod audit list` return.
public struct AuditFilter: Sendable, Equatable {
    /// The organization's events, or (with ``userID``) the events about or by one user.
    public var orgID: Int?
    public var userID: Int?
    public var action: String?
    /// A key id, an email, or `cli`.
    public var actor: String?
    public var from: Date?
    public var before: Date?

    public init(
        orgID: Int? = nil, userID: Int? = nil, action: String? = nil, actor: String? = nil, from: Date? = nil,
        before: Date? = nil
    ) {
        self.orgID = orgID
        self.userID = userID
        self.action = action
        self.actor = actor
        self.from = from
        self.before = before
    }
}

/// What one event is about, besides its actor.
struct AuditRecord: Sendable {
    var action: String
    var targetType: String
    var targetID: String
    var orgID: Int?
    var orgHandle: String?
    /// The user the change concerns (whose key, whose account, whose membership).
    var subjectUserID: Int?
    var details: [String: String] = [:]
}

extension SQLStore {
    /// Writes one event; called inside the transaction of the change it records.
    func audit(_ db: any SQLDatabase, _ record: AuditRecord, by actor: AuditActor) async throws {
        let details = String(decoding: try JSONEncoder.sortedKeys.encode(record.details), as: UTF8.self)
        var actor = actor
        if actor.email == nil, let userID = actor.userID { actor.email = try? await Self.email(db, userID: userID) }
        try await db.raw(
            """
            INSERT INTO audit_events (occurred_at, action, actor_type, actor_user_id, actor_email, actor_key_id,
                                      org_id, org_handle, subject_user_id, target_type, target_id, client_address,
                                      request_id, details)
            VALUES (\(bind: clock.now().millis), \(bind: record.action), \(bind: actor.type), \(bind: actor.userID),
                    \(bind: actor.email), \(bind: actor.keyID), \(bind: record.orgID), \(bind: record.orgHandle),
                    \(bind: record.subjectUserID), \(bind: record.targetType), \(bind: record.targetID),
                    \(bind: actor.clientAddress), \(bind: actor.requestID), \(bind: details))
            """
        ).run()
    }

    /// Events matching `filter`, newest first, one page of them and the true count.
    public func auditEvents(_ filter: AuditFilter, page: Int, pageSize: Int) async throws -> Page<AuditEvent> {
        var conditions: SQLQueryString = "1 = 1"
        if let orgID = filter.orgID { conditions = conditions + " AND org_id = \(bind: orgID)" }
        if let userID = filter.userID {
            conditions = conditions + " AND (subject_user_id = \(bind: userID) OR actor_user_id = \(bind: userID))"
        }
        if let action = filter.action { conditions = conditions + " AND action = \(bind: action)" }
        if let actor = filter.actor {
            conditions =
                actor == "cli"
                ? conditions + " AND actor_type = 'cli'"
                : conditions + " AND (actor_key_id = \(bind: actor) OR actor_email = \(bind: actor.lowercased()))"
        }
        if let from = filter.from { conditions = conditions + " AND occurred_at >= \(bind: from.millis)" }
        if let before = filter.before { conditions = conditions + " AND occurred_at < \(bind: before.millis)" }
        return try await self.page(
            of: "audit_events", where: conditions, orderBy: "occurred_at DESC, id DESC", page: page, pageSize: pageSize,
            decode: Self.auditEvent(from:))
    }

    static func auditEvent(from row: any SQLRow) throws -> AuditEvent {
        let detailsText = try row.decode(column: "details", as: String.self)
        let details = (try? JSONDecoder().decode([String: String].self, from: Data(detailsText.utf8))) ?? [:]
        return AuditEvent(
            id: try row.decode(column: "id", as: Int.self),
            action: try row.decode(column: "action", as: String.self),
            occurredAt: Date(millis: try row.decode(column: "occurred_at", as: Int64.self)),
            actor: AuditEvent.Actor(
                type: try row.decode(column: "actor_type", as: String.self),
                userId: try row.decode(column: "actor_user_id", as: Int?.self),
                email: try row.decode(column: "actor_email", as: String?.self),
                keyId: try row.decode(column: "actor_key_id", as: String?.self)),
            target: AuditEvent.Target(
                type: try row.decode(column: "target_type", as: String.self),
                id: try row.decode(column: "target_id", as: String.self)),
            orgHandle: try row.decode(column: "org_handle", as: String?.self),
            clientAddress: try row.decode(column: "client_address", as: String?.self),
            requestId: try row.decode(column: "request_id", as: String?.self),
            details: details)
    }
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}

extension SQLStore {
    /// The newest audit event's id (0 for an empty log): where a follower of the log starts.
    public func latestAuditEventID() async throws -> Int64 {
        try await database.withConnection { db in
            try await db.raw("SELECT MAX(id) AS id FROM audit_events").first()?.decode(column: "id", as: Int64?.self) ?? 0
        }
    }

    /// `(id, org_id)` of the audit events after `id` (at most `limit`, oldest first) and of those of
    /// `ids` that now exist: a follower re-asks for ids it skipped, because on PostgreSQL a
    /// transaction that took a lower id can commit after one that took a higher id.
    public func auditEvents(after id: Int64, orIn ids: [Int64], limit: Int) async throws -> [(id: Int64, orgID: Int?)] {
        try await database.withConnection { db in
            let condition: SQLQueryString =
                ids.isEmpty ? "id > \(bind: id)" : "(id > \(bind: id) OR id IN (\(binds: ids)))"
            return try await db.raw(
                "SELECT id, org_id FROM audit_events WHERE " + condition + " ORDER BY id LIMIT \(bind: limit)"
            ).all().map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "org_id", as: Int?.self)) }
        }
    }
}
