import Foundation
import SQLKit
import UnpodCore

/// A task given to a worker until `expiresAt`, unless the worker heartbeats.
public struct TaskLease: Sendable, Equatable {
    public var leaseID: String
    public var expiresAt: Date
    public var task: CallTask
}

/// What happened to a result or failure a worker sent.
public enum LeaseOutcome: Sendable, Equatable {
    /// Recorded. For a failure: whether the task will be tried again.
    case recorded(retry: Bool)
    /// The lease is no longer the task's (it expired, or the task was given to another worker):
    /// refused, so a task is completed once.
    case notCurrent
}

/// How failed tasks are retried: up to `maxAttempts` in all, waiting `backoff` × 2^(attempt-1)
/// (at most `maxBackoff`) between them.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var backoff: TimeInterval
    public var maxBackoff: TimeInterval

    public init(maxAttempts: Int = 3, backoff: TimeInterval = 5, maxBackoff: TimeInterval = 300) {
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(maxBackoff, backoff * pow(2, Double(max(0, attempt - 1))))
    }
}

extension SQLStore {
    /// Gives up to `limit` due tasks of these agents to a worker. A task is due when it is pending
    /// (or its worker's lease has run out) and its time has come (its schedule or retry backoff).
    /// On PostgreSQL the rows are locked with `FOR UPDATE SKIP LOCKED`, so nodes claiming at once
    /// never take the same task; SQLite writes one transaction at a time.
    public func claimTasks(agentRowIDs: [Int], limit: Int, workerID: String, leaseFor duration: TimeInterval) async throws
        -> [TaskLease]
    {
        guard !agentRowIDs.isEmpty, limit > 0 else { return [] }
        let now = clock.now().millis
        let expires = now + Int64(duration * 1000)
        let agents = SQLQueryString(agentRowIDs.map(String.init).joined(separator: ", "))
        let lock: SQLQueryString = database.engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let due: SQLQueryString =
            "agent_id IN (" + agents
            + """
            ) AND status IN ('pending', 'running') AND available_at <= \(bind: now)
             AND (lease_expires_at IS NULL OR lease_expires_at < \(bind: now))
            """
        // Idle workers poll: look without a write transaction first, so an empty queue costs a read.
        let anyDue = try await database.withConnection { db in
            try await db.raw("SELECT id FROM tasks WHERE " + due + " LIMIT 1").first() != nil
        }
        guard anyDue else { return [] }
        // One random prefix per claim; each lease id is the prefix and the task's row id, so the
        // whole batch is leased by one UPDATE and read by one SELECT: three statements for any batch.
        var generator = SystemRandomNumberGenerator()
        let prefix = "lease_" + Base62.random(count: 20, using: &generator) + "_"
        return try await database.transaction { db in
            let ids = try await db.raw("SELECT id FROM tasks WHERE " + due + " ORDER BY available_at, id LIMIT \(bind: limit)" + lock)
                .all().map { try $0.decode(column: "id", as: Int.self) }
            guard !ids.isEmpty else { return [] }
            let list = SQLQueryString(ids.map(String.init).joined(separator: ", "))
            // A task whose worker vanished mid-call goes back to pending: the new worker starts it again.
            try await db.raw(
                """
                UPDATE tasks SET lease_id = \(bind: prefix) || CAST(id AS TEXT), lease_expires_at = \(bind: expires),
                                 worker_id = \(bind: workerID), status = 'pending', modified_at = \(bind: now)
                WHERE id IN (
                """ + list + ")"
            ).run()
            let tasks = try await db.raw(
                "SELECT " + SQLQueryString(Self.taskColumns) + " FROM " + SQLQueryString(Self.taskJoins) + " WHERE t.id IN (" + list
                    + ") ORDER BY t.available_at, t.id"
            ).all()
            return try tasks.map { row in
                TaskLease(
                    leaseID: prefix + String(try row.decode(column: "id", as: Int.self)), expiresAt: Date(millis: expires),
                    task: try Self.task(from: row))
            }
        }
    }

    /// Extends a current lease; false when it is no longer current.
    public func renewLease(_ leaseID: String, for duration: TimeInterval) async throws -> Bool {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard try await Self.currentLease(db, leaseID, now: now) != nil else { return false }
            try await db.raw(
                "UPDATE tasks SET lease_expires_at = \(bind: now + Int64(duration * 1000)) WHERE lease_id = \(bind: leaseID)"
            ).run()
            return true
        }
    }

    /// The worker started the call: the task, and its run if it was pending, are `running`.
    public func markRunning(_ leaseID: String, for duration: TimeInterval) async throws -> Bool {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard let lease = try await Self.currentLease(db, leaseID, now: now) else { return false }
            try await db.raw(
                """
                UPDATE tasks SET status = 'running', last_status_change = \(bind: now), modified_at = \(bind: now),
                                 lease_expires_at = \(bind: now + Int64(duration * 1000))
                WHERE id = \(bind: lease.taskRowID) AND status <> 'running'
                """
            ).run()
            try await db.raw(
                "UPDATE runs SET status = 'running', modified_at = \(bind: now) WHERE id = \(bind: lease.runRowID) AND status = 'pending'"
            ).run()
            return true
        }
    }

    /// A worker's result, in one transaction: the task completed with its output, the run rolled
    /// up, the call log written, the event audited (which also tells every node's list cache).
    public func completeTask(
        _ leaseID: String, output: JSONValue, actor: AuditActor, callLog: @escaping @Sendable (JSONValue) -> CallLog
    ) async throws -> LeaseOutcome {
        try await database.transaction { db in
            try await self.completeTask(in: db, leaseID, output: output, actor: actor, callLog: callLog)
        }
    }

    /// The same, inside a transaction of the caller's (a live call's end completes its task in the
    /// call's own transaction).
    func completeTask(
        in db: any SQLDatabase, _ leaseID: String, output: JSONValue, actor: AuditActor, callLog: @Sendable (JSONValue) -> CallLog
    ) async throws -> LeaseOutcome {
        let now = clock.now().millis
        let encoded = String(decoding: try JSONEncoder.unpod().encode(output), as: UTF8.self)
        guard let lease = try await Self.currentLease(db, leaseID, now: now) else { return .notCurrent }
        try await db.raw(
            """
            UPDATE tasks SET status = 'completed', output = \(bind: encoded), lease_id = NULL, lease_expires_at = NULL,
                             last_status_change = \(bind: now), modified_at = \(bind: now),
                             outcome = \(bind: CallOutcome.bucket(output)), success_score = \(bind: CallOutcome.successScore(output)),
                             call_duration = \(bind: CallOutcome.duration(output))
            WHERE id = \(bind: lease.taskRowID)
            """
        ).run()
        let log = callLog(lease.input)
        try await Self.enqueueWebhook(
            db, orgID: lease.orgID, .taskCompleted,
            data: .object([
                "task_id": .string(lease.taskID), "run_id": .string(lease.runID), "status": .string("completed"),
                "call_id": output["call_id"] ?? (log.callId.isEmpty ? .null : .string(log.callId)),
                "call_status": output["call_status"] ?? .null,
            ]),
            now: now)
        try await Self.rollUp(db, runRowID: lease.runRowID, completed: 1, failed: 0, now: now)
        if try await Self.callLog(db, orgID: lease.orgID, callID: log.callId) == nil {
            _ = try await Self.insertCallLog(db, orgID: lease.orgID, log)
        }
        try await auditTask(db, "task.completed", lease, details: ["call_id": log.callId], by: actor)
        return .recorded(retry: false)
    }

    /// A worker's failure: tried again after a backoff while attempts remain, else `failed` for good.
    public func failTask(_ leaseID: String, reason: String, policy: RetryPolicy, actor: AuditActor) async throws -> LeaseOutcome {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard let lease = try await Self.currentLease(db, leaseID, now: now) else { return .notCurrent }
            let attempts = lease.failureCount + 1
            let retry = attempts < policy.maxAttempts
            let next = now + Int64(policy.delay(afterAttempt: attempts) * 1000)
            try await db.raw(
                """
                UPDATE tasks SET status = \(bind: retry ? "pending" : "failed"), failure_count = \(bind: attempts),
                                 retry_attempt = \(bind: retry ? attempts : attempts - 1), last_failure_reason = \(bind: reason),
                                 lease_id = NULL, lease_expires_at = NULL, available_at = \(bind: next),
                                 last_status_change = \(bind: now), modified_at = \(bind: now)
                WHERE id = \(bind: lease.taskRowID)
                """
            ).run()
            if !retry {
                try await Self.enqueueWebhook(
                    db, orgID: lease.orgID, .taskFailed,
                    data: .object([
                        "task_id": .string(lease.taskID), "run_id": .string(lease.runID), "status": .string("failed"),
                        "reason": .string(String(reason.prefix(500))), "attempts": .integer(Int64(attempts)),
                    ]),
                    now: now)
                try await Self.rollUp(db, runRowID: lease.runRowID, completed: 0, failed: 1, now: now)
            }
            try await auditTask(
                db, "task.failed", lease, details: ["attempt": String(attempts), "retry": String(retry), "reason": reason], by: actor)
            return .recorded(retry: retry)
        }
    }

    /// Gives back the leases of a worker that left: its tasks are due again at once.
    public func releaseLeases(workerID: String) async throws {
        let now = clock.now().millis
        try await database.transaction { db in
            try await db.raw(
                """
                UPDATE tasks SET lease_id = NULL, lease_expires_at = NULL, status = 'pending', modified_at = \(bind: now)
                WHERE worker_id = \(bind: workerID) AND lease_id IS NOT NULL
                """
            ).run()
        }
    }

    /// A run is `completed` when every task has finished and at least one completed, `failed` when
    /// every task failed; until then it stays `pending` or `running`.
    private static func rollUp(_ db: any SQLDatabase, runRowID: Int, completed: Int, failed: Int, now: Int64) async throws {
        // One statement: the counters and the status read the row's values before this update.
        let row = try await db.raw(
            """
            UPDATE runs SET completed_tasks = completed_tasks + \(bind: completed), failed_tasks = failed_tasks + \(bind: failed),
                modified_at = \(bind: now), status = CASE
                WHEN completed_tasks + failed_tasks + \(bind: completed + failed) < total_tasks
                    THEN (CASE WHEN status = 'pending' THEN 'running' ELSE status END)
                WHEN completed_tasks + \(bind: completed) > 0 THEN 'completed' ELSE 'failed' END
            WHERE id = \(bind: runRowID)
            RETURNING run_id, org_id, status, total_tasks, completed_tasks, failed_tasks
            """
        ).first()
        // The update that finished the run's last task is the one that reports the run.
        guard let row, try row.decode(column: "completed_tasks", as: Int.self) + row.decode(column: "failed_tasks", as: Int.self)
            == row.decode(column: "total_tasks", as: Int.self)
        else { return }
        try await enqueueWebhook(
            db, orgID: try row.decode(column: "org_id", as: Int.self), .runCompleted,
            data: .object([
                "run_id": .string(try row.decode(column: "run_id", as: String.self)), "status": .string(try row.decode(column: "status", as: String.self)),
                "total_tasks": .integer(Int64(try row.decode(column: "total_tasks", as: Int.self))),
                "completed_tasks": .integer(Int64(try row.decode(column: "completed_tasks", as: Int.self))),
                "failed_tasks": .integer(Int64(try row.decode(column: "failed_tasks", as: Int.self))),
            ]),
            now: now)
    }

    private func auditTask(
        _ db: any SQLDatabase, _ action: String, _ lease: LeaseRow, details: [String: String], by actor: AuditActor
    ) async throws {
        try await audit(
            db,
            AuditRecord(
                action: action, targetType: "task", targetID: lease.taskID, orgID: lease.orgID,
                orgHandle: try await Self.handle(db, orgID: lease.orgID), details: details),
            by: actor)
    }

    private struct LeaseRow {
        var taskID: String
        var taskRowID: Int
        var runRowID: Int
        var runID: String
        var orgID: Int
        var failureCount: Int
        var input: JSONValue
    }

    private static func currentLease(_ db: any SQLDatabase, _ leaseID: String, now: Int64) async throws -> LeaseRow? {
        guard
            let row = try await db.raw(
                """
                SELECT t.id, t.task_id, t.run_id, runs.run_id AS run_key, t.org_id, t.failure_count, t.input
                FROM tasks t JOIN runs ON runs.id = t.run_id WHERE t.lease_id = \(bind: leaseID) AND t.lease_expires_at >= \(bind: now)
                """
            ).first()
        else { return nil }
        return LeaseRow(
            taskID: try row.decode(column: "task_id", as: String.self), taskRowID: try row.decode(column: "id", as: Int.self), runRowID: try row.decode(column: "run_id", as: Int.self),
            runID: try row.decode(column: "run_key", as: String.self),
            orgID: try row.decode(column: "org_id", as: Int.self), failureCount: try row.decode(column: "failure_count", as: Int.self),
            input: try JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(column: "input", as: String.self).utf8)))
    }
}
