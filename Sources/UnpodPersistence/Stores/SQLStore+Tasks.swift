import Foundation
import SQLKit
import UnpodCore

/// What a task-creation request stores: checked by the handler, written here in one transaction.
public struct NewRun: Sendable {
    public var space: SpaceRecord
    public var agent: AgentRecord
    public var userID: Int
    public var objective: String
    /// The documents, each already encoded as the JSON text stored as its task's `input`.
    public var inputs: [String]
    /// Each document's `document_id`, the task's `ref_id`.
    public var refIDs: [String?]
    public var scheduledAt: Date?
    /// `Idempotency-Key` and the hash of the request it came with.
    public var idempotency: (key: String, requestHash: String)?

    public init(
        space: SpaceRecord, agent: AgentRecord, userID: Int, objective: String, inputs: [String], refIDs: [String?],
        scheduledAt: Date?, idempotency: (key: String, requestHash: String)?
    ) {
        self.space = space
        self.agent = agent
        self.userID = userID
        self.objective = objective
        self.inputs = inputs
        self.refIDs = refIDs
        self.scheduledAt = scheduledAt
        self.idempotency = idempotency
    }
}

/// The answer stored for an `Idempotency-Key`: which request it was, and what it got.
public struct StoredAnswer: Sendable, Equatable {
    public var requestHash: String
    public var status: Int
    public var body: String
}

extension SQLStore {
    /// TSK-2: one run and one `pending` task per document, in document order, in one transaction
    /// (with the answer for its `Idempotency-Key`, so a retry finds it or the whole request failed).
    public func createRun(_ new: NewRun, actor: AuditActor) async throws -> CreatedRun {
        var generator = SystemRandomNumberGenerator()
        let runID = "run_" + Base62.random(count: 20, using: &generator)
        let taskIDs = new.inputs.map { _ in "task_" + Base62.random(count: 20, using: &generator) }
        // Made before the transaction: its closure may not mutate the generator.
        let storageIDs = new.inputs.map { _ in Self.hex(12, using: &generator) }
        let threadIDs = new.inputs.map { _ in Self.hex(12, using: &generator) }
        let now = clock.now().millis
        let created = CreatedRun(runID: runID, taskIDs: taskIDs, status: .pending)
        return try await database.transaction { db in
            let runRow = try await db.raw(
                """
                INSERT INTO runs (run_id, org_id, space_id, agent_id, status, total_tasks, completed_tasks, failed_tasks,
                                  created_at, modified_at)
                VALUES (\(bind: runID), \(bind: new.space.orgID), \(bind: new.space.rowID), \(bind: new.agent.rowID), 'pending',
                        \(bind: new.inputs.count), 0, 0, \(bind: now), \(bind: now))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int.self)
            // Rows go in 100 at a time: a 1,000-document run is 10 statements, not 1,000 round trips.
            for start in stride(from: 0, to: new.inputs.count, by: 100) {
                var statement: SQLQueryString =
                    """
                    INSERT INTO tasks (task_id, storage_id, thread_id, run_id, org_id, space_id, agent_id, user_id, position,
                                       objective, input, output, status, ref_id, failure_count, retry_attempt,
                                       last_status_change, scheduled_at, available_at, created_at, modified_at) VALUES
                    """
                for index in start..<min(start + 100, new.inputs.count) {
                    statement = statement + (index == start ? " " : ", ")
                        + """
                        (\(bind: taskIDs[index]), \(bind: storageIDs[index]), \(bind: threadIDs[index]), \(bind: runRow), \(bind: new.space.orgID),
                         \(bind: new.space.rowID), \(bind: new.agent.rowID), \(bind: new.userID), \(bind: index),
                         \(bind: new.objective), \(bind: new.inputs[index]), '{}', 'pending', \(bind: new.refIDs[index]), 0, 0,
                         \(bind: now), \(bind: new.scheduledAt?.millis), \(bind: new.scheduledAt?.millis ?? now), \(bind: now),
                         \(bind: now))
                        """
                }
                try await db.raw(statement).run()
            }
            if let idempotency = new.idempotency {
                let body = String(decoding: try JSONEncoder.unpod().encode(created), as: UTF8.self)
                try await db.raw(
                    """
                    INSERT INTO idempotency_keys (org_id, idempotency_key, request_hash, status, body, created_at)
                    VALUES (\(bind: new.space.orgID), \(bind: idempotency.key), \(bind: idempotency.requestHash), 200,
                            \(bind: body), \(bind: now))
                    """
                ).run()
            }
            var details = ["space": new.space.space.token, "agent": new.agent.agent.handle, "tasks": String(new.inputs.count)]
            if let at = new.scheduledAt { details["scheduled_at"] = Timestamp.format(at) }
            try await audit(
                db,
                AuditRecord(
                    action: "run.created", targetType: "run", targetID: runID, orgID: new.space.orgID,
                    orgHandle: new.space.space.organization.domainHandle, subjectUserID: new.userID, details: details),
                by: actor)
            return created
        }
    }

    /// The answer first given to this `Idempotency-Key` in the organization, if any.
    public func storedAnswer(orgID: Int, idempotencyKey: String) async throws -> StoredAnswer? {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT request_hash, status, body FROM idempotency_keys
                WHERE org_id = \(bind: orgID) AND idempotency_key = \(bind: idempotencyKey)
                """
            ).first().map { row in
                StoredAnswer(
                    requestHash: try row.decode(column: "request_hash", as: String.self),
                    status: try row.decode(column: "status", as: Int.self), body: try row.decode(column: "body", as: String.self))
            }
        }
    }

    /// TSK-1: a space's tasks, newest first.
    public func tasks(spaceRowID: Int, page: Int, pageSize: Int) async throws -> Page<CallTask> {
        try await self.page(
            of: Self.taskJoins, columns: Self.taskColumns, where: "t.space_id = \(bind: spaceRowID)",
            orderBy: "t.created_at DESC, t.id DESC", page: page, pageSize: pageSize, decode: { try Self.task(from: $0) })
    }

    /// AGT-2: the tasks assigned to an agent, newest first.
    public func tasks(agentRowID: Int, page: Int, pageSize: Int) async throws -> Page<CallTask> {
        try await self.page(
            of: Self.taskJoins, columns: Self.taskColumns, where: "t.agent_id = \(bind: agentRowID)",
            orderBy: "t.id DESC", page: page, pageSize: pageSize, decode: { try Self.task(from: $0) })
    }

    /// RUN-2: a run's tasks in document order; nil when the space has no such run.
    public func tasks(runID: String, spaceRowID: Int, page: Int, pageSize: Int) async throws -> Page<CallTask>? {
        let runRow = try await database.withConnection { db in
            try await db.raw("SELECT id FROM runs WHERE run_id = \(bind: runID) AND space_id = \(bind: spaceRowID)").first()
        }
        guard let runRow else { return nil }
        let rowID = try runRow.decode(column: "id", as: Int.self)
        return try await self.page(
            of: Self.taskJoins, columns: Self.taskColumns, where: "t.run_id = \(bind: rowID)", orderBy: "t.position",
            page: page, pageSize: pageSize, decode: { try Self.task(from: $0) })
    }

    /// RUN-1: a space's runs, newest first.
    public func runs(spaceRowID: Int, page: Int, pageSize: Int) async throws -> Page<Run> {
        try await self.page(
            of: "runs r JOIN spaces s ON s.id = r.space_id", columns: "r.*, s.token AS space_token",
            where: "r.space_id = \(bind: spaceRowID)", orderBy: "r.id DESC", page: page, pageSize: pageSize,
            decode: { row in
                Run(
                    runID: try row.decode(column: "run_id", as: String.self),
                    collectionRef: try row.decode(column: "space_token", as: String.self), runMode: "workers",
                    status: CallTask.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                    created: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
                    modified: Date(millis: try row.decode(column: "modified_at", as: Int64.self)))
            })
    }

    /// AGT-3: the runs an agent carries out, newest first.
    public func executions(agentRowID: Int, page: Int, pageSize: Int) async throws -> Page<Execution> {
        try await self.page(
            of: "runs", where: "agent_id = \(bind: agentRowID)", orderBy: "id DESC", page: page, pageSize: pageSize,
            decode: { row in
                Execution(
                    runID: try row.decode(column: "run_id", as: String.self),
                    status: CallTask.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                    totalTasks: try row.decode(column: "total_tasks", as: Int.self),
                    completedTasks: try row.decode(column: "completed_tasks", as: Int.self),
                    created: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
            })
    }

    static let taskJoins =
        "tasks t JOIN runs r ON r.id = t.run_id JOIN agents a ON a.id = t.agent_id JOIN users u ON u.id = t.user_id"
    static let taskColumns =
        "t.*, r.run_id AS run_text_id, a.handle AS assignee, u.email AS user_email"

    static func task(from row: any SQLRow) throws -> CallTask {
        let decoder = JSONDecoder()
        let input = try decoder.decode(JSONValue.self, from: Data(try row.decode(column: "input", as: String.self).utf8))
        let output = try decoder.decode(JSONValue.self, from: Data(try row.decode(column: "output", as: String.self).utf8))
        return CallTask(
            storageID: try row.decode(column: "storage_id", as: String.self),
            threadID: try row.decode(column: "thread_id", as: String.self),
            userInfo: CallTask.UserInfo(email: try row.decode(column: "user_email", as: String.self), fullName: ""),
            taskID: try row.decode(column: "task_id", as: String.self),
            runID: try row.decode(column: "run_text_id", as: String.self),
            task: CallTask.Objective(objective: try row.decode(column: "objective", as: String.self)), input: input,
            output: output, attachments: [], assignee: try row.decode(column: "assignee", as: String.self),
            status: CallTask.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            executionType: "call", refID: try row.decode(column: "ref_id", as: String?.self), runMode: "prod",
            failureCount: try row.decode(column: "failure_count", as: Int.self),
            lastFailureReason: try row.decode(column: "last_failure_reason", as: String?.self),
            retryAttempt: try row.decode(column: "retry_attempt", as: Int.self),
            lastStatusChange: Date(millis: try row.decode(column: "last_status_change", as: Int64.self)),
            scheduledTimestamp: try row.decode(column: "scheduled_at", as: Int64?.self).map { Date(millis: $0) },
            created: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            modified: Date(millis: try row.decode(column: "modified_at", as: Int64.self)))
    }

    private static func hex(_ bytes: Int, using generator: inout some RandomNumberGenerator) -> String {
        (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }
}
