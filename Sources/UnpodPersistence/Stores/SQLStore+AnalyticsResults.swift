import Foundation
import SQLKit
import UnpodCore

/// Analytics results (issue 18): queued in the transaction that ends a call, one per active block
/// attached to the call's agent, and claimed like tasks (a lease; `FOR UPDATE SKIP LOCKED` on
/// PostgreSQL), so evaluation never blocks the call's end and survives a restart.
extension SQLStore {
    /// Queues one evaluation per active block of the agent, with the block's definition as it is now.
    static func queueAnalytics(
        _ db: any SQLDatabase, orgID: Int, agentRowID: Int, agentHandle: String, callID: String, now: Int64
    ) async throws -> Int {
        let blocks = try await db.raw(
            """
            SELECT b.id, b.definition, b.version FROM analytics_blocks b JOIN analytics_block_agents l ON l.block_id = b.id
            WHERE l.agent_id = \(bind: agentRowID) AND b.state = 'active' ORDER BY b.id
            """
        ).all()
        var generator = SystemRandomNumberGenerator()
        for block in blocks {
            let resultID = "res_" + Base62.random(count: 20, using: &generator)
            try await db.raw(
                """
                INSERT INTO analytics_results (result_id, org_id, block_id, block_version, definition, call_id, agent_handle, status,
                                               summary, data, attempts, available_at, created_at)
                VALUES (\(bind: resultID), \(bind: orgID), \(bind: try block.decode(column: "id", as: Int.self)),
                        \(bind: try block.decode(column: "version", as: Int.self)), \(bind: try block.decode(column: "definition", as: String.self)),
                        \(bind: callID), \(bind: agentHandle), 'pending', '', '{}', 0, \(bind: now), \(bind: now))
                """
            ).run()
        }
        return blocks.count
    }

    /// Up to `limit` due evaluations for this node, leased for `lease` seconds. Due: pending, its
    /// time come (first try or backoff), and no live lease (a node that stopped mid-evaluation
    /// loses its lease and another node takes the entry).
    public func claimAnalytics(limit: Int, lease: TimeInterval) async throws -> [AnalyticsEvaluation] {
        try await claimDue(from: .analyticsResults, limit: limit, lease: lease) { db, list in
            let rows = try await db.raw(
                """
                SELECT r.id, r.result_id, r.attempts, r.definition, r.block_version, r.call_id, r.created_at,
                       calls.status AS call_status, calls.direction, calls.transcript
                FROM analytics_results r JOIN calls ON calls.call_id = r.call_id
                WHERE r.id IN (
                """ + list + ") ORDER BY r.available_at, r.id"
            ).all()
            let decoder = JSONDecoder.unpod()
            return try rows.map { row in
                AnalyticsEvaluation(
                    rowID: try row.decode(column: "id", as: Int.self), resultID: try row.decode(column: "result_id", as: String.self),
                    attempt: try row.decode(column: "attempts", as: Int.self),
                    definition: try JSONDecoder().decode(
                        AnalyticsBlockDefinition.self, from: Data(try row.decode(column: "definition", as: String.self).utf8)),
                    blockVersion: try row.decode(column: "block_version", as: Int.self),
                    callID: try row.decode(column: "call_id", as: String.self),
                    callStatus: try row.decode(column: "call_status", as: String.self),
                    direction: try row.decode(column: "direction", as: String.self),
                    transcript: try row.decode(column: "transcript", as: String?.self).map {
                        try decoder.decode([TranscriptTurn].self, from: Data($0.utf8))
                    } ?? [],
                    queuedAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
            }
        }
    }

    /// Stores an evaluation's end, if this claim is still the latest; false when it is not
    /// (another node took the entry after this lease ran out).
    @discardableResult
    public func finishAnalytics(_ evaluation: AnalyticsEvaluation, _ outcome: AnalyticsOutcome) async throws -> Bool {
        let now = clock.now().millis
        let encoder = JSONEncoder.sortedKeys
        let (status, summary, success, data, error, model, latency): (String, String, String?, String, String?, String?, Int?)
        switch outcome {
        case .ok(let answer, let usedModel, let milliseconds):
            status = "ok"
            summary = answer.summary
            success = try answer.successEvaluation.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            data = String(decoding: try encoder.encode(answer.data), as: UTF8.self)
            (error, model, latency) = (nil, usedModel, milliseconds)
        case .skipped(let reason):
            (status, summary, success, data, error, model, latency) = ("skipped", "", nil, "{}", reason, nil, nil)
        case .failed(let reason, let usedModel, let milliseconds):
            (status, summary, success, data, error, model, latency) = ("failed", "", nil, "{}", String(reason.prefix(1000)), usedModel, milliseconds)
        }
        let lock: SQLQueryString = database.engine == .postgres ? " FOR UPDATE" : ""
        return try await database.transaction { db in
            // The call's row is locked first: of two results finishing at once, the second sees the
            // first's end, so exactly one of them finds nothing pending and sends `call.analyzed`.
            try await db.raw("SELECT id FROM calls WHERE call_id = \(bind: evaluation.callID)" + lock).run()
            guard
                try await db.raw(
                    """
                    UPDATE analytics_results SET status = \(bind: status), summary = \(bind: summary), success = \(bind: success),
                           data = \(bind: data), error = \(bind: error), model = \(bind: model), latency_ms = \(bind: latency),
                           lease_until = NULL, completed_at = \(bind: now)
                    WHERE id = \(bind: evaluation.rowID) AND status = 'pending' AND attempts = \(bind: evaluation.attempt)
                    RETURNING id
                    """
                ).first() != nil
            else { return false }
            try await Self.announceAnalyzed(db, callID: evaluation.callID, now: now)
            return true
        }
    }

    /// `call.analyzed` once every result of the call has ended: each block's answer, inline.
    private static func announceAnalyzed(_ db: any SQLDatabase, callID: String, now: Int64) async throws {
        let rows = try await db.raw(
            """
            SELECT r.result_id, r.org_id, r.agent_handle, r.status, r.summary, r.success, r.data, r.error, r.definition, b.block_id
            FROM analytics_results r JOIN analytics_blocks b ON b.id = r.block_id WHERE r.call_id = \(bind: callID) ORDER BY r.id
            """
        ).all()
        guard let first = rows.first, try rows.allSatisfy({ try $0.decode(column: "status", as: String.self) != "pending" }) else { return }
        let results: [JSONValue] = try rows.map { row in
            let decode = { (text: String?) -> JSONValue in
                text.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) } ?? .null
            }
            return .object([
                "result_id": .string(try row.decode(column: "result_id", as: String.self)),
                "block_id": .string(try row.decode(column: "block_id", as: String.self)),
                "name": decode(try row.decode(column: "definition", as: String.self))["name"] ?? .null,
                "status": .string(try row.decode(column: "status", as: String.self)),
                "summary": .string(try row.decode(column: "summary", as: String.self)),
                "success_evaluation": decode(try row.decode(column: "success", as: String?.self)),
                "data": decode(try row.decode(column: "data", as: String.self)),
                "error": (try row.decode(column: "error", as: String?.self)).map(JSONValue.string) ?? .null,
            ])
        }
        try await enqueueWebhook(
            db, orgID: try first.decode(column: "org_id", as: Int.self), .callAnalyzed,
            data: .object([
                "call_id": .string(callID), "agent_id": .string(try first.decode(column: "agent_handle", as: String.self)),
                "results": .array(results),
            ]),
            now: now)
    }

    /// Puts an evaluation back in the queue for another try in `delay` seconds, keeping why.
    public func retryAnalytics(_ evaluation: AnalyticsEvaluation, after delay: TimeInterval, reason: String) async throws {
        let at = clock.now().millis + Int64(delay * 1000)
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE analytics_results SET available_at = \(bind: at), lease_until = NULL, error = \(bind: String(reason.prefix(1000)))
                WHERE id = \(bind: evaluation.rowID) AND status = 'pending' AND attempts = \(bind: evaluation.attempt)
                """
            ).run()
        }
    }

    /// Results of the organization, newest first.
    public func analyticsResults(orgID: Int, _ filter: AnalyticsResultFilter) async throws -> [AnalyticsResult] {
        var condition: SQLQueryString = "r.org_id = \(bind: orgID)"
        if let block = filter.blockID { condition = condition + " AND b.block_id = \(bind: block)" }
        if let agent = filter.agentHandle { condition = condition + " AND r.agent_handle = \(bind: agent)" }
        if let call = filter.callID { condition = condition + " AND r.call_id = \(bind: call)" }
        if let status = filter.status { condition = condition + " AND r.status = \(bind: status.rawValue)" }
        let query =
            "SELECT r.*, b.block_id AS block_public_id FROM analytics_results r JOIN analytics_blocks b ON b.id = r.block_id WHERE "
            + condition + " ORDER BY r.id DESC LIMIT \(bind: filter.limit) OFFSET \(bind: filter.skip)"
        return try await database.withConnection { db in
            try await db.raw(query).all().map(Self.analyticsResult(from:))
        }
    }

    static func analyticsResult(from row: any SQLRow) throws -> AnalyticsResult {
        let decoder = JSONDecoder()
        let definition = try decoder.decode(AnalyticsBlockDefinition.self, from: Data(try row.decode(column: "definition", as: String.self).utf8))
        return AnalyticsResult(
            resultID: try row.decode(column: "result_id", as: String.self), blockID: try row.decode(column: "block_public_id", as: String.self),
            blockName: definition.name, blockVersion: try row.decode(column: "block_version", as: Int.self),
            callID: try row.decode(column: "call_id", as: String.self), agentHandle: try row.decode(column: "agent_handle", as: String.self),
            status: AnalyticsResult.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            summary: try row.decode(column: "summary", as: String.self),
            successEvaluation: try row.decode(column: "success", as: String?.self).map { try decoder.decode(JSONValue.self, from: Data($0.utf8)) },
            data: try decoder.decode([String: JSONValue].self, from: Data(try row.decode(column: "data", as: String.self).utf8)),
            error: try row.decode(column: "error", as: String?.self), model: try row.decode(column: "model", as: String?.self),
            latencyMS: try row.decode(column: "latency_ms", as: Int?.self), attempts: try row.decode(column: "attempts", as: Int.self),
            created: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            completed: try row.decode(column: "completed_at", as: Int64?.self).map(Date.init(millis:)),
            nextAttemptAt: try row.decode(column: "status", as: String.self) == "pending"
                ? Date(millis: try row.decode(column: "available_at", as: Int64.self)) : nil)
    }
}
