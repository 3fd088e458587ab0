import Foundation
import SQLKit
import UnpodCore

/// The webhook outbox (issue 18). An event is written in the transaction of the change it reports,
/// with one delivery per endpoint of the organization that receives it, so a change that is
/// stored always has its deliveries and one that rolled back never does. Any node claims due
/// deliveries (a lease; `FOR UPDATE SKIP LOCKED` on PostgreSQL), like tasks.
extension SQLStore {
    /// Stores one event of `type` about a change of `orgID`, inside the change's transaction.
    static func enqueueWebhook(_ db: any SQLDatabase, orgID: Int, _ type: WebhookEventType, data: JSONValue, now: Int64) async throws {
        var generator = SystemRandomNumberGenerator()
        let messageID = "msg_" + Base62.random(count: 24, using: &generator)
        let payload: JSONValue = .object([
            "type": .string(type.rawValue), "timestamp": .string(Timestamp.format(Date(millis: now))), "data": data,
        ])
        let text = String(decoding: try JSONEncoder.sortedKeys.encode(payload), as: UTF8.self)
        guard
            let row = try await db.raw(
                """
                INSERT INTO webhook_messages (message_id, org_id, event_type, payload, created_at)
                VALUES (\(bind: messageID), \(bind: orgID), \(bind: type.rawValue), \(bind: text), \(bind: now)) RETURNING id
                """
            ).first()
        else { return }
        let messageRowID = try row.decode(column: "id", as: Int.self)
        // A disabled endpoint's deliveries are held, not dropped: enabling it sends them.
        try await db.raw(
            """
            INSERT INTO webhook_deliveries (message_id, endpoint_id, status, attempts, step, available_at, created_at)
            SELECT \(bind: messageRowID), id, CASE WHEN disabled_at IS NULL THEN 'pending' ELSE 'held' END, 0, 0, \(bind: now), \(bind: now)
            FROM webhook_endpoints WHERE org_id = \(bind: orgID) AND (events = '[]' OR events LIKE \(bind: "%\"\(type.rawValue)\"%"))
            """
        ).run()
    }

    /// Up to `limit` due deliveries for this node, leased for `lease` seconds.
    public func claimWebhooks(limit: Int, lease: TimeInterval) async throws -> [WebhookDispatch] {
        let now = clock.now().millis
        let rows = try await claimDue(from: .webhookDeliveries, limit: limit, lease: lease) { db, list in
            try await db.raw(
                """
                SELECT d.id, d.attempts, d.step, e.id AS endpoint_row, e.endpoint_id, e.url, e.secret_sealed,
                       e.previous_secret_sealed, e.previous_until, m.message_id, m.event_type, m.payload
                FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN webhook_messages m ON m.id = d.message_id
                WHERE d.id IN (
                """ + list + ") ORDER BY d.available_at, d.id"
            ).all()
        }
        return try rows.map { row in
            var secrets: [WebhookSecret] = []
            if let current = WebhookSecret(try vault.open(try row.decode(column: "secret_sealed", as: String.self))) { secrets.append(current) }
            if let sealed = try row.decode(column: "previous_secret_sealed", as: String?.self),
                let until = try row.decode(column: "previous_until", as: Int64?.self), until > now,
                let previous = WebhookSecret(try vault.open(sealed))
            {
                secrets.append(previous)
            }
            return WebhookDispatch(
                deliveryRowID: try row.decode(column: "id", as: Int.self), endpointRowID: try row.decode(column: "endpoint_row", as: Int.self),
                endpointID: try row.decode(column: "endpoint_id", as: String.self),
                url: try row.decode(column: "url", as: String.self), secrets: secrets,
                messageID: try row.decode(column: "message_id", as: String.self), eventType: try row.decode(column: "event_type", as: String.self),
                payload: Array(try row.decode(column: "payload", as: String.self).utf8), attempt: try row.decode(column: "attempts", as: Int.self),
                step: try row.decode(column: "step", as: Int.self))
        }
    }

    /// Records a try and moves the delivery on, in one transaction: delivered; tried again later;
    /// failed for good; or, on 410 or after five days of nothing but failures, the endpoint
    /// disabled (its deliveries held), with a `webhook_endpoint.disabled` event and an audit entry.
    /// False when the lease was lost (another node took the delivery; this answer is not kept).
    @discardableResult
    public func finishWebhook(_ dispatch: WebhookDispatch, _ result: WebhookAttemptResult) async throws -> Bool {
        let now = clock.now().millis
        return try await database.transaction { db in
            let status: String
            var next = now
            switch result.outcome {
            case .delivered: status = "delivered"
            case .gone: status = "held"
            case .failed(let retryIn):
                status = retryIn == nil ? "failed" : "pending"
                next = now + Int64((retryIn ?? 0) * 1000)
            }
            let moved = try await db.raw(
                """
                UPDATE webhook_deliveries SET status = \(bind: status), lease_until = NULL, available_at = \(bind: next),
                       step = step + \(bind: result.outcome == .delivered ? 0 : 1),
                       delivered_at = \(bind: result.outcome == .delivered ? now : nil as Int64?)
                WHERE id = \(bind: dispatch.deliveryRowID) AND status = 'pending' AND attempts = \(bind: dispatch.attempt) RETURNING id
                """
            ).all()
            guard !moved.isEmpty else { return false }
            try await db.raw(
                """
                INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempt, attempted_at, status_code, latency_ms, response, error, succeeded)
                VALUES (\(bind: dispatch.deliveryRowID), \(bind: dispatch.endpointRowID), \(bind: dispatch.attempt), \(bind: now),
                        \(bind: result.statusCode), \(bind: result.latencyMS), \(bind: String(result.response.prefix(500))),
                        \(bind: result.error.map { String($0.prefix(500)) }), \(bind: result.outcome == .delivered))
                """
            ).run()
            switch result.outcome {
            case .delivered:
                try await db.raw("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = \(bind: dispatch.endpointRowID)").run()
            case .gone:
                try await disableWebhookEndpoint(db, rowID: dispatch.endpointRowID, reason: "the endpoint answered 410 Gone", now: now)
            case .failed:
                let row = try await db.raw(
                    """
                    UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, \(bind: now))
                    WHERE id = \(bind: dispatch.endpointRowID) RETURNING failing_since, disabled_at
                    """
                ).first()
                let since = try row?.decode(column: "failing_since", as: Int64.self) ?? now
                let disabled = try row?.decode(column: "disabled_at", as: Int64?.self) != nil
                if !disabled, now - since >= Int64(WebhookRetrySchedule.failingLimit * 1000) {
                    try await disableWebhookEndpoint(db, rowID: dispatch.endpointRowID, reason: "every attempt failed for 5 days", now: now)
                }
            }
            return true
        }
    }

    /// Disables an endpoint (once): its unfinished deliveries are held (sent when it is enabled
    /// again), and the audit log says why. A disabling the organization did not ask for (410, five
    /// failing days) is also announced with `webhook_endpoint.disabled` on its other endpoints.
    func disableWebhookEndpoint(
        _ db: any SQLDatabase, rowID: Int, reason: String, now: Int64, by actor: AuditActor = .system, announce: Bool = true
    ) async throws {
        guard
            let row = try await db.raw(
                """
                UPDATE webhook_endpoints SET disabled_at = \(bind: now), disabled_reason = \(bind: reason), modified_at = \(bind: now)
                WHERE id = \(bind: rowID) AND disabled_at IS NULL RETURNING endpoint_id, org_id, url
                """
            ).first()
        else { return }
        try await db.raw(
            "UPDATE webhook_deliveries SET status = 'held', lease_until = NULL WHERE endpoint_id = \(bind: rowID) AND status = 'pending'"
        ).run()
        let endpointID = try row.decode(column: "endpoint_id", as: String.self)
        let orgID = try row.decode(column: "org_id", as: Int.self)
        if announce {
            try await Self.enqueueWebhook(
                db, orgID: orgID, .endpointDisabled,
                data: .object([
                    "endpoint_id": .string(endpointID), "url": .string(try row.decode(column: "url", as: String.self)),
                    "reason": .string(reason),
                ]),
                now: now)
        }
        try await audit(
            db,
            AuditRecord(
                action: "webhook_endpoint.disabled", targetType: "webhook_endpoint", targetID: endpointID, orgID: orgID,
                orgHandle: try await Self.handle(db, orgID: orgID), details: ["reason": reason]),
            by: actor)
    }

    /// Forgets messages older than `age` seconds; their deliveries and attempts go with them
    /// (ON DELETE CASCADE).
    public func pruneWebhooks(olderThan age: TimeInterval) async throws {
        let cutoff = clock.now().millis - Int64(age * 1000)
        try await database.withConnection { db in
            try await db.raw("DELETE FROM webhook_messages WHERE created_at < \(bind: cutoff)").run()
        }
    }
}
