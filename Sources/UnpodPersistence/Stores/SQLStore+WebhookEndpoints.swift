import Foundation
import SQLKit
import UnpodCore

/// Webhook endpoints of an organization (issue 18): each change in one transaction with its audit
/// entry. The secret is sealed with the server's master key (it must sign, so it cannot be a hash)
/// and shown only by the call that makes it.
extension SQLStore {
    /// How long the previous secret keeps signing after a rotation.
    public static let webhookSecretOverlap: TimeInterval = 86_400

    public func createWebhookEndpoint(
        orgID: Int, url: String, description: String, events: [WebhookEventType], actor: AuditActor
    ) async throws -> (WebhookEndpoint, WebhookSecret) {
        let now = clock.now().millis
        let secret = WebhookSecret.generate()
        let sealed = try vault.seal(secret.text)
        var generator = SystemRandomNumberGenerator()
        let endpointID = "ep_" + Base62.random(count: 20, using: &generator)
        let endpoint = try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO webhook_endpoints (endpoint_id, org_id, url, description, events, secret_sealed, created_at, modified_at)
                VALUES (\(bind: endpointID), \(bind: orgID), \(bind: url), \(bind: description), \(bind: Self.eventList(events)),
                        \(bind: sealed), \(bind: now), \(bind: now))
                """
            ).run()
            try await auditEndpoint(db, "webhook_endpoint.created", endpointID, orgID: orgID, details: ["url": String(url.prefix(200))], actor)
            return try await Self.webhookEndpoints(db, orgID: orgID, endpointID: endpointID).first
        }
        guard let endpoint else { throw StoreError.notFound("Webhook endpoint not found.") }
        return (endpoint, secret)
    }

    public func webhookEndpoints(orgID: Int) async throws -> [WebhookEndpoint] {
        try await database.withConnection { db in try await Self.webhookEndpoints(db, orgID: orgID, endpointID: nil) }
    }

    public func webhookEndpoint(orgID: Int, endpointID: String) async throws -> WebhookEndpoint? {
        try await database.withConnection { db in try await Self.webhookEndpoints(db, orgID: orgID, endpointID: endpointID).first }
    }

    /// Changes what is given; `enabled: true` enables a disabled endpoint and sends what was held
    /// for it, `false` disables it (its deliveries are held meanwhile).
    public func updateWebhookEndpoint(
        orgID: Int, endpointID: String, url: String?, description: String?, events: [WebhookEventType]?, enabled: Bool?, actor: AuditActor
    ) async throws -> WebhookEndpoint {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard let row = try await Self.endpointRow(db, orgID: orgID, endpointID: endpointID) else {
                throw StoreError.notFound("Webhook endpoint not found.")
            }
            var changes: [SQLQueryString] = ["modified_at = \(bind: now)"]
            var details: [String: String] = [:]
            if let url {
                changes.append("url = \(bind: url)")
                details["url"] = String(url.prefix(200))
            }
            if let description { changes.append("description = \(bind: description)") }
            if let events {
                changes.append("events = \(bind: Self.eventList(events))")
                details["events"] = events.isEmpty ? "*" : events.map(\.rawValue).joined(separator: ",")
            }
            try await db.raw("UPDATE webhook_endpoints SET " + changes.joined(separator: ", ") + " WHERE id = \(bind: row)").run()
            try await auditEndpoint(db, "webhook_endpoint.updated", endpointID, orgID: orgID, details: details, actor)
            if enabled == true {
                let enabledNow = try await db.raw(
                    """
                    UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL
                    WHERE id = \(bind: row) AND disabled_at IS NOT NULL RETURNING id
                    """
                ).first() != nil
                if enabledNow {
                    try await db.raw(
                        """
                        UPDATE webhook_deliveries SET status = 'pending', step = 0, available_at = \(bind: now)
                        WHERE endpoint_id = \(bind: row) AND status = 'held'
                        """
                    ).run()
                    try await auditEndpoint(db, "webhook_endpoint.enabled", endpointID, orgID: orgID, details: [:], actor)
                }
            } else if enabled == false {
                try await disableWebhookEndpoint(db, rowID: row, reason: "disabled by a user", now: now, by: actor, announce: false)
            }
            guard let endpoint = try await Self.webhookEndpoints(db, orgID: orgID, endpointID: endpointID).first else {
                throw StoreError.notFound("Webhook endpoint not found.")
            }
            return endpoint
        }
    }

    /// A new secret, shown once; the one it replaces keeps signing for `webhookSecretOverlap`
    /// (both signatures are sent), so receivers can switch without losing a message.
    public func rotateWebhookSecret(orgID: Int, endpointID: String, actor: AuditActor) async throws -> (WebhookEndpoint, WebhookSecret) {
        let now = clock.now().millis
        let secret = WebhookSecret.generate()
        let sealed = try vault.seal(secret.text)
        return try await database.transaction { db in
            guard let row = try await Self.endpointRow(db, orgID: orgID, endpointID: endpointID) else {
                throw StoreError.notFound("Webhook endpoint not found.")
            }
            try await db.raw(
                """
                UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, secret_sealed = \(bind: sealed),
                       previous_until = \(bind: now + Int64(Self.webhookSecretOverlap * 1000)), modified_at = \(bind: now)
                WHERE id = \(bind: row)
                """
            ).run()
            try await auditEndpoint(db, "webhook_endpoint.rotated", endpointID, orgID: orgID, details: [:], actor)
            guard let endpoint = try await Self.webhookEndpoints(db, orgID: orgID, endpointID: endpointID).first else {
                throw StoreError.notFound("Webhook endpoint not found.")
            }
            return (endpoint, secret)
        }
    }

    /// Deletes an endpoint; its deliveries and their attempts go with it (ON DELETE CASCADE).
    public func deleteWebhookEndpoint(orgID: Int, endpointID: String, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let row = try await Self.endpointRow(db, orgID: orgID, endpointID: endpointID) else {
                throw StoreError.notFound("Webhook endpoint not found.")
            }
            try await db.raw("DELETE FROM webhook_endpoints WHERE id = \(bind: row)").run()
            try await auditEndpoint(db, "webhook_endpoint.deleted", endpointID, orgID: orgID, details: [:], actor)
        }
    }

    /// Sends one message to the endpoint again, now, whatever became of it before (also a message
    /// from before the endpoint existed, if the endpoint receives its type).
    public func resendWebhook(orgID: Int, endpointID: String, messageID: String, actor: AuditActor) async throws {
        let now = clock.now().millis
        try await database.transaction { db in
            guard let row = try await Self.endpointRow(db, orgID: orgID, endpointID: endpointID) else {
                throw StoreError.notFound("Webhook endpoint not found.")
            }
            guard
                let message = try await db.raw(
                    "SELECT id FROM webhook_messages WHERE org_id = \(bind: orgID) AND message_id = \(bind: messageID)"
                ).first()?.decode(column: "id", as: Int.self)
            else { throw StoreError.notFound("Webhook message not found.") }
            _ = try await Self.requeue(db, endpointRowID: row, messages: "id = \(bind: message)", onlyUndelivered: false, now: now)
            try await auditEndpoint(db, "webhook_message.resent", endpointID, orgID: orgID, details: ["message_id": messageID], actor)
        }
    }

    /// Sends again every message of `[since, until)` the endpoint receives and has not had
    /// delivered (failed, held or never queued for it); answers how many were queued.
    public func replayWebhooks(orgID: Int, endpointID: String, since: Date, until: Date, actor: AuditActor) async throws -> Int {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard let row = try await Self.endpointRow(db, orgID: orgID, endpointID: endpointID) else {
                throw StoreError.notFound("Webhook endpoint not found.")
            }
            let events = try await db.raw("SELECT events FROM webhook_endpoints WHERE id = \(bind: row)").first()?
                .decode(column: "events", as: String.self) ?? "[]"
            let types = try JSONDecoder().decode([String].self, from: Data(events.utf8))
            var filter: SQLQueryString =
                "org_id = \(bind: orgID) AND created_at >= \(bind: since.millis) AND created_at < \(bind: until.millis)"
            if !types.isEmpty { filter = filter + " AND event_type IN (" + types.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")" }
            let count = try await Self.requeue(db, endpointRowID: row, messages: filter, onlyUndelivered: true, now: now)
            try await auditEndpoint(
                db, "webhook_endpoint.replayed", endpointID, orgID: orgID,
                details: ["since": Timestamp.format(since), "until": Timestamp.format(until), "queued": String(count)], actor)
            return count
        }
    }

    /// Queues the matching messages for one endpoint again from the start of the schedule;
    /// answers how many.
    private static func requeue(
        _ db: any SQLDatabase, endpointRowID: Int, messages filter: SQLQueryString, onlyUndelivered: Bool, now: Int64
    ) async throws -> Int {
        let disabled = try await db.raw("SELECT disabled_at FROM webhook_endpoints WHERE id = \(bind: endpointRowID)").first()?
            .decode(column: "disabled_at", as: Int64?.self) != nil
        let status = disabled ? "held" : "pending"
        let skip: SQLQueryString = onlyUndelivered ? " AND status <> 'delivered'" : ""
        let updated = try await db.raw(
            """
            UPDATE webhook_deliveries SET status = \(bind: status), step = 0, available_at = \(bind: now), delivered_at = NULL
            WHERE endpoint_id = \(bind: endpointRowID) AND status <> 'pending' AND message_id IN (SELECT id FROM webhook_messages WHERE
            """ + " " + filter + ")" + skip + " RETURNING id"
        ).all().count
        let inserted = try await db.raw(
            """
            INSERT INTO webhook_deliveries (message_id, endpoint_id, status, attempts, step, available_at, created_at)
            SELECT id, \(bind: endpointRowID), \(bind: status), 0, 0, \(bind: now), \(bind: now) FROM webhook_messages WHERE
            """ + " " + filter + """
             AND id NOT IN (SELECT message_id FROM webhook_deliveries WHERE endpoint_id = \(bind: endpointRowID)) RETURNING id
            """
        ).all().count
        return updated + inserted
    }

    /// The endpoint's deliveries, newest first: each message with where it stands.
    public func webhookDeliveries(orgID: Int, endpointID: String, limit: Int) async throws -> [WebhookDelivery]? {
        try await database.withConnection { db in
            guard let row = try await Self.endpointRow(db, orgID: orgID, endpointID: endpointID) else { return nil }
            return try await db.raw(
                """
                SELECT m.message_id, m.event_type, d.status, d.attempts, d.available_at, d.delivered_at, m.created_at
                FROM webhook_deliveries d JOIN webhook_messages m ON m.id = d.message_id
                WHERE d.endpoint_id = \(bind: row) ORDER BY d.id DESC LIMIT \(bind: limit)
                """
            ).all().map { row in
                let status = try row.decode(column: "status", as: String.self)
                return WebhookDelivery(
                    messageID: try row.decode(column: "message_id", as: String.self), eventType: try row.decode(column: "event_type", as: String.self),
                    status: status, attempts: try row.decode(column: "attempts", as: Int.self),
                    nextAttemptAt: status == "pending" ? Date(millis: try row.decode(column: "available_at", as: Int64.self)) : nil,
                    deliveredAt: try row.decode(column: "delivered_at", as: Int64?.self).map(Date.init(millis:)),
                    created: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
            }
        }
    }

    /// The endpoint's attempts, newest first; only one message's when `messageID` is given.
    public func webhookAttempts(orgID: Int, endpointID: String, messageID: String?, limit: Int) async throws -> [WebhookAttempt]? {
        try await database.withConnection { db in
            guard let row = try await Self.endpointRow(db, orgID: orgID, endpointID: endpointID) else { return nil }
            let only: SQLQueryString = messageID.map { " AND m.message_id = \(bind: $0)" } ?? ""
            return try await db.raw(
                """
                SELECT m.message_id, m.event_type, a.attempt, a.attempted_at, a.status_code, a.latency_ms, a.response, a.error, a.succeeded
                FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id JOIN webhook_messages m ON m.id = d.message_id
                WHERE a.endpoint_id = \(bind: row)
                """ + only + " ORDER BY a.id DESC LIMIT \(bind: limit)"
            ).all().map { row in
                WebhookAttempt(
                    messageID: try row.decode(column: "message_id", as: String.self), eventType: try row.decode(column: "event_type", as: String.self),
                    attempt: try row.decode(column: "attempt", as: Int.self),
                    attemptedAt: Date(millis: try row.decode(column: "attempted_at", as: Int64.self)),
                    statusCode: try row.decode(column: "status_code", as: Int?.self), latencyMS: try row.decode(column: "latency_ms", as: Int.self),
                    response: try row.decode(column: "response", as: String.self), error: try row.decode(column: "error", as: String?.self),
                    succeeded: try row.decode(column: "succeeded", as: Bool.self))
            }
        }
    }

    static func eventList(_ events: [WebhookEventType]) -> String {
        let names = Array(Set(events.map(\.rawValue))).sorted()
        return String(decoding: (try? JSONEncoder.sortedKeys.encode(names)) ?? Data("[]".utf8), as: UTF8.self)
    }

    private static func endpointRow(_ db: any SQLDatabase, orgID: Int, endpointID: String) async throws -> Int? {
        try await db.raw("SELECT id FROM webhook_endpoints WHERE org_id = \(bind: orgID) AND endpoint_id = \(bind: endpointID)")
            .first()?.decode(column: "id", as: Int.self)
    }

    private func auditEndpoint(
        _ db: any SQLDatabase, _ action: String, _ endpointID: String, orgID: Int, details: [String: String], _ actor: AuditActor
    ) async throws {
        try await audit(
            db,
            AuditRecord(
                action: action, targetType: "webhook_endpoint", targetID: endpointID, orgID: orgID,
                orgHandle: try await Self.handle(db, orgID: orgID), details: details),
            by: actor)
    }

    static func webhookEndpoints(_ db: any SQLDatabase, orgID: Int, endpointID: String?) async throws -> [WebhookEndpoint] {
        let only: SQLQueryString = endpointID.map { " AND endpoint_id = \(bind: $0)" } ?? ""
        return try await db.raw(
            """
            SELECT endpoint_id, url, description, events, disabled_at, disabled_reason, previous_until, created_at, modified_at
            FROM webhook_endpoints WHERE org_id = \(bind: orgID)
            """ + only + " ORDER BY id LIMIT 1000"
        ).all().map { row in
            let names = try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "events", as: String.self).utf8))
            return WebhookEndpoint(
                endpointID: try row.decode(column: "endpoint_id", as: String.self), url: try row.decode(column: "url", as: String.self),
                description: try row.decode(column: "description", as: String.self), events: names.compactMap(WebhookEventType.init(rawValue:)),
                disabledAt: try row.decode(column: "disabled_at", as: Int64?.self).map(Date.init(millis:)),
                disabledReason: try row.decode(column: "disabled_reason", as: String?.self),
                previousSecretUntil: try row.decode(column: "previous_until", as: Int64?.self).map(Date.init(millis:)),
                created: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
                modified: Date(millis: try row.decode(column: "modified_at", as: Int64.self)))
        }
    }
}
