import Crypto
import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// A new call, `pending`, audited as `call.created`.
    public func createCall(_ new: NewCall, actor: AuditActor) async throws -> Call {
        var generator = SystemRandomNumberGenerator()
        let callID = "call_" + Base62.random(count: 20, using: &generator)
        let now = clock.now()
        let data = String(decoding: try JSONEncoder.sortedKeys.encode(new.data), as: UTF8.self)
        return try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO calls (call_id, org_id, agent_id, direction, status, to_number, from_number, instructions, data,
                                   caller_token_hash, created_at, pipe_id, node_id)
                VALUES (\(bind: callID), \(bind: new.orgID), \(bind: new.agent.rowID), \(bind: new.direction),
                        \(bind: CallStatus.pending.rawValue), \(bind: new.toNumber), \(bind: new.fromNumber),
                        \(bind: new.instructions), \(bind: data), \(bind: Self.tokenDigest(new.callerToken)), \(bind: now.millis),
                        \(bind: new.pipeID), \(bind: new.nodeID))
                """
            ).run()
            let orgHandle = try await Self.handle(db, orgID: new.orgID)
            try await audit(
                db,
                AuditRecord(
                    action: "call.created", targetType: "call", targetID: callID, orgID: new.orgID, orgHandle: orgHandle,
                    details: ["agent": new.agent.agent.handle, "direction": new.direction]),
                by: actor)
            return Call(
                callID: callID, orgID: new.orgID, orgHandle: orgHandle, agentHandle: new.agent.agent.handle,
                direction: new.direction, status: .pending, toNumber: new.toNumber, fromNumber: new.fromNumber,
                instructions: new.instructions, data: new.data, createdAt: now, pipeID: new.pipeID)
        }
    }

    /// Moves a call in flight to `status`, stamping when it was dispatched or connected. A call that
    /// has already ended stays as it ended (false).
    @discardableResult
    public func markCall(_ callID: String, _ status: CallStatus) async throws -> Bool {
        let now = clock.now().millis
        let stamp: SQLQueryString =
            switch status {
            case .dispatching: ", dispatched_at = COALESCE(dispatched_at, \(bind: now))"
            case .active: ", connected_at = COALESCE(connected_at, \(bind: now))"
            default: ""
            }
        return try await database.transaction { db in
            let connectedBefore =
                status == .active
                ? try await db.raw("SELECT connected_at FROM calls WHERE call_id = \(bind: callID)").first()?
                    .decode(column: "connected_at", as: Int64?.self) : nil
            guard
                let row = try await db.raw(
                    "UPDATE calls SET status = \(bind: status.rawValue)" + stamp
                        + """
                         WHERE call_id = \(bind: callID) AND status NOT IN ('connected', 'notConnected', 'failed')
                        RETURNING org_id, agent_id, direction, to_number, from_number, connected_at
                        """
                ).first()
            else { return false }
            // `call.started` with the update that stamped the connection, so exactly once.
            if status == .active, connectedBefore == nil {
                let agent = try await db.raw("SELECT handle FROM agents WHERE id = \(bind: try row.decode(column: "agent_id", as: Int.self))")
                    .first()?.decode(column: "handle", as: String.self) ?? ""
                try await Self.enqueueWebhook(
                    db, orgID: try row.decode(column: "org_id", as: Int.self), .callStarted,
                    data: .object([
                        "call_id": .string(callID), "agent_id": .string(agent),
                        "direction": .string(try row.decode(column: "direction", as: String.self)),
                        "to": (try row.decode(column: "to_number", as: String?.self)).map(JSONValue.string) ?? .null,
                        "from": (try row.decode(column: "from_number", as: String?.self)).map(JSONValue.string) ?? .null,
                    ]),
                    now: now)
            }
            return true
        }
    }

    /// Ends a call once, in one transaction: its terminal status, why, and its transcript; its
    /// call log (so call logs, analytics and billing count live calls); its analytics blocks' evaluations, queued; the `call.ended` event
    /// (which also tells every node's list caches); and the task it carries out, completed with
    /// the call as its output (platform-api.md 2.4.3). False when it had already ended.
    @discardableResult
    public func endCall(
        _ callID: String, status: CallStatus, endReason: String?, transcript: [TranscriptTurn], task: CallTaskLease? = nil
    ) async throws -> Bool {
        precondition(status.isTerminal)
        let now = clock.now().millis
        let text = String(decoding: try JSONEncoder.unpod().encode(transcript), as: UTF8.self)
        return try await database.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    UPDATE calls SET status = \(bind: status.rawValue), end_reason = \(bind: endReason), transcript = \(bind: text),
                                     transcript_turns = \(bind: transcript.count), ended_at = \(bind: now)
                    WHERE call_id = \(bind: callID) AND status NOT IN ('connected', 'notConnected', 'failed')
                    RETURNING id, org_id, agent_id, direction, to_number, from_number, created_at, connected_at
                    """
                ).first()
            else { return false }
            try await finishCall(db, row, callID: callID, status: status, endReason: endReason, turns: transcript.count, now: now)
            if let task {
                let output = Self.taskOutput(row, callID: callID, status: status, endReason: endReason, transcript: transcript, now: now)
                _ = try await completeTask(in: db, task.leaseID, output: output, actor: task.actor) { _ in
                    // The call's own log was written just before; this one is never used.
                    CallLog(
                        id: 0, callId: callID, sourceNumber: "", destinationNumber: "", callType: .outbound, callStatus: .failed,
                        creationTime: Date(millis: now), startTime: nil, endTime: nil, callDuration: 0, endReason: nil)
                }
            }
            return true
        }
    }

    /// A task's output (platform-api.md 2.4.3) from the call that carried it out: what analytics,
    /// billing and the task's readers take from any worker's result.
    static func taskOutput(
        _ row: any SQLRow, callID: String, status: CallStatus, endReason: String?, transcript: [TranscriptTurn], now: Int64
    ) -> JSONValue {
        let connectedAt = (try? row.decode(column: "connected_at", as: Int64?.self)) ?? nil
        let created = (try? row.decode(column: "created_at", as: Int64.self)) ?? now
        let start = Date(millis: connectedAt ?? created)
        let duration = connectedAt.map { Int((now - $0) / 1000) } ?? 0
        let callStatus = status == .connected ? "completed" : status == .notConnected ? "missed" : "failed"
        return .object([
            "call_id": .string(callID),
            "call_status": .string(callStatus),
            "call_end_reason": endReason.map(JSONValue.string) ?? .null,
            "call_type": .string("outbound"),
            "start_time": .string(Timestamp.format(start)),
            "end_time": .string(Timestamp.format(Date(millis: now))),
            "duration": .integer(Int64(duration)),
            "assistant_number": .string(((try? row.decode(column: "from_number", as: String?.self)) ?? nil) ?? ""),
            "transcript": .array(
                transcript.map { .object(["role": .string($0.role == .user ? "user" : "assistant"), "content": .string($0.content)]) }),
            "call_summary": .null,
            "recording_url": .null,
            "post_call_data": .object(status == .notConnected ? ["outcome": .string("not_connected")] : [:]),
        ])
    }

    /// What every ended call writes besides its own row: its call log and its audit event.
    private func finishCall(
        _ db: any SQLDatabase, _ row: any SQLRow, callID: String, status: CallStatus, endReason: String?, turns: Int, now: Int64
    ) async throws {
        let orgID = try row.decode(column: "org_id", as: Int.self)
        let direction = try row.decode(column: "direction", as: String.self)
        let connectedAt = try row.decode(column: "connected_at", as: Int64?.self)
        let agentHandle = try await db.raw("SELECT handle FROM agents WHERE id = \(bind: try row.decode(column: "agent_id", as: Int.self))")
            .first()?.decode(column: "handle", as: String.self) ?? ""
        let log = CallLog(
            id: 0, callId: callID,
            sourceNumber: try row.decode(column: "from_number", as: String?.self) ?? (direction == "outbound" ? agentHandle : direction),
            destinationNumber: try row.decode(column: "to_number", as: String?.self) ?? agentHandle,
            callType: direction == "outbound" ? .outbound : .inbound,
            callStatus: status == .connected ? .completed : status == .notConnected ? .missed : .failed,
            creationTime: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            startTime: connectedAt.map(Date.init(millis:)), endTime: connectedAt.map { _ in Date(millis: now) },
            callDuration: connectedAt.map { Int((now - $0) / 1000) } ?? 0, endReason: endReason)
        if try await Self.callLog(db, orgID: orgID, callID: callID) == nil {
            _ = try await Self.insertCallLog(db, orgID: orgID, log)
        }
        // Analytics are queued with the end itself: a call that ended always gets its evaluations.
        _ = try await Self.queueAnalytics(
            db, orgID: orgID, agentRowID: try row.decode(column: "agent_id", as: Int.self), agentHandle: agentHandle, callID: callID, now: now)
        try await Self.enqueueWebhook(
            db, orgID: orgID, .callEnded,
            data: .object([
                "call_id": .string(callID), "agent_id": .string(agentHandle), "direction": .string(direction),
                "status": .string(status.rawValue), "end_reason": endReason.map(JSONValue.string) ?? .null,
                "duration": .integer(connectedAt.map { (now - $0) / 1000 } ?? 0), "turns": .integer(Int64(turns)),
            ]),
            now: now)
        var details = ["status": status.rawValue, "agent": agentHandle, "turns": String(turns)]
        if let endReason { details["end_reason"] = String(endReason.prefix(200)) }
        try await audit(
            db,
            AuditRecord(
                action: "call.ended", targetType: "call", targetID: callID, orgID: orgID, orgHandle: try await Self.handle(db, orgID: orgID),
                details: details),
            by: .system)
    }

    /// A call of this organization, with its transcript.
    public func call(_ callID: String, orgID: Int) async throws -> Call? {
        guard (1...64).contains(callID.utf8.count) else { return nil }
        return try await database.withConnection { db in
            try await db.raw(
                """
                SELECT calls.*, agents.handle AS agent_handle, organizations.domain_handle AS org_handle
                FROM calls JOIN agents ON agents.id = calls.agent_id JOIN organizations ON organizations.id = calls.org_id
                WHERE calls.call_id = \(bind: callID) AND calls.org_id = \(bind: orgID)
                """
            ).first().map { try Self.call(from: $0, withTranscript: true) }
        }
    }

    /// Whether `token` is the caller side's token of this call (and the call, if so).
    public func callForCaller(_ callID: String, token: String) async throws -> Call? {
        guard (1...64).contains(callID.utf8.count) else { return nil }
        let row = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT calls.*, agents.handle AS agent_handle, organizations.domain_handle AS org_handle
                FROM calls JOIN agents ON agents.id = calls.agent_id JOIN organizations ON organizations.id = calls.org_id
                WHERE calls.call_id = \(bind: callID)
                """
            ).first()
        }
        guard let row, let stored = try? row.decode(column: "caller_token_hash", as: String.self),
            ConstantTime.equal(stored, Self.tokenDigest(token))
        else { return nil }
        return try Self.call(from: row, withTranscript: false)
    }

    /// The organization's calls, newest first, without transcripts.
    public func calls(
        orgID: Int, status: CallStatus?, pipeID: String? = nil, ended: Bool = false, page: Int, pageSize: Int, withTranscript: Bool = false
    ) async throws -> Page<Call> {
        var conditions: SQLQueryString = "calls.org_id = \(bind: orgID)"
        if let status { conditions = conditions + " AND calls.status = \(bind: status.rawValue)" }
        if let pipeID { conditions = conditions + " AND calls.pipe_id = \(bind: pipeID)" }
        if ended { conditions = conditions + " AND calls.ended_at IS NOT NULL" }
        return try await self.page(
            of: "calls JOIN agents ON agents.id = calls.agent_id JOIN organizations ON organizations.id = calls.org_id",
            columns: "calls.*, agents.handle AS agent_handle, organizations.domain_handle AS org_handle", where: conditions,
            orderBy: "calls.created_at DESC, calls.id DESC", page: page, pageSize: pageSize,
            decode: { try Self.call(from: $0, withTranscript: withTranscript) })
    }

    static func tokenDigest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexString
    }

    static func call(from row: any SQLRow, withTranscript: Bool) throws -> Call {
        let data = try row.decode(column: "data", as: String.self)
        let transcript: [TranscriptTurn]? =
            withTranscript
            ? try row.decode(column: "transcript", as: String?.self).map {
                try JSONDecoder.unpod().decode([TranscriptTurn].self, from: Data($0.utf8))
            } ?? [] : nil
        return Call(
            callID: try row.decode(column: "call_id", as: String.self), orgID: try row.decode(column: "org_id", as: Int.self),
            orgHandle: try row.decode(column: "org_handle", as: String.self),
            agentHandle: try row.decode(column: "agent_handle", as: String.self),
            direction: try row.decode(column: "direction", as: String.self),
            status: CallStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            endReason: try row.decode(column: "end_reason", as: String?.self),
            toNumber: try row.decode(column: "to_number", as: String?.self),
            fromNumber: try row.decode(column: "from_number", as: String?.self),
            instructions: try row.decode(column: "instructions", as: String?.self),
            data: (try? JSONDecoder().decode(JSONValue.self, from: Data(data.utf8))) ?? .object([:]),
            transcript: transcript, transcriptTurns: try row.decode(column: "transcript_turns", as: Int.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            dispatchedAt: try row.decode(column: "dispatched_at", as: Int64?.self).map(Date.init(millis:)),
            connectedAt: try row.decode(column: "connected_at", as: Int64?.self).map(Date.init(millis:)),
            endedAt: try row.decode(column: "ended_at", as: Int64?.self).map(Date.init(millis:)),
            pipeID: try row.decode(column: "pipe_id", as: String?.self))
    }
}

extension SQLStore {
    /// A hangup asked for over the API, in the audit log (`call.hung_up`).
    public func recordCallHangup(_ callID: String, orgID: Int, actor: AuditActor) async throws {
        try await recordCallAction("call.hung_up", callID, orgID: orgID, details: [:], actor: actor)
    }

    /// A transfer asked for over the API, in the audit log (`call.transferred`), with its target.
    public func recordCallTransfer(_ callID: String, orgID: Int, target: String, mode: String, actor: AuditActor) async throws {
        try await recordCallAction("call.transferred", callID, orgID: orgID, details: ["target": target, "mode": mode], actor: actor)
    }

    private func recordCallAction(_ action: String, _ callID: String, orgID: Int, details: [String: String], actor: AuditActor) async throws {
        try await database.transaction { db in
            try await audit(
                db,
                AuditRecord(
                    action: action, targetType: "call", targetID: callID, orgID: orgID, orgHandle: try await Self.handle(db, orgID: orgID),
                    details: details),
                by: actor)
        }
    }
}

extension SQLStore {
    /// Ends every call still in flight as `failed`: at the start of a single-node server (SQLite),
    /// whose calls all lived in the process that stopped. Their count.
    @discardableResult
    public func failCallsInFlight(reason: String) async throws -> Int {
        try await failCalls(reason: reason, where: "TRUE")
    }

    /// A node's sign of life: calls it holds are its own while it keeps beating.
    public func beatCallNode(_ nodeID: String) async throws {
        let now = clock.now().millis
        try await database.withConnection { db in
            try await db.raw(
                """
                INSERT INTO call_nodes (node_id, heartbeat_at) VALUES (\(bind: nodeID), \(bind: now))
                ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = \(bind: now)
                """
            ).run()
        }
    }

    /// Ends `failed` the calls in flight of every node silent for `silence` (it stopped: the
    /// sockets of its calls went with it), with their call logs and audit events; then forgets
    /// nodes silent for a day. Their count.
    @discardableResult
    public func failCallsOfSilentNodes(silence: TimeInterval, reason: String) async throws -> Int {
        let cutoff = clock.now().millis - Int64(silence * 1000)
        // A call of no node (written before nodes were recorded) has no one to end it either.
        let failed = try await failCalls(
            reason: reason,
            where: """
                (node_id IN (SELECT node_id FROM call_nodes WHERE heartbeat_at < \(bind: cutoff))
                 OR (node_id IS NULL AND created_at < \(bind: cutoff)))
                """)
        try await database.withConnection { db in
            try await db.raw("DELETE FROM call_nodes WHERE heartbeat_at < \(bind: cutoff - 86_400_000)").run()
        }
        return failed
    }

    private func failCalls(reason: String, where condition: SQLQueryString) async throws -> Int {
        let now = clock.now().millis
        return try await database.transaction { db in
            let rows = try await db.raw(
                """
                UPDATE calls SET status = 'failed', end_reason = \(bind: reason), ended_at = \(bind: now),
                                 transcript = COALESCE(transcript, '[]')
                WHERE status NOT IN ('connected', 'notConnected', 'failed') AND
                """ + " " + condition + """

                 RETURNING id, call_id, org_id, agent_id, direction, to_number, from_number, created_at, connected_at, transcript_turns
                """
            ).all()
            for row in rows {
                try await finishCall(
                    db, row, callID: try row.decode(column: "call_id", as: String.self), status: .failed, endReason: reason,
                    turns: try row.decode(column: "transcript_turns", as: Int.self), now: now)
            }
            return rows.count
        }
    }
}

extension SQLStore {
    /// Hands a call that has not started from one node to another; false when it is no longer
    /// `from`'s or has started.
    public func moveCall(_ callID: String, from: String, to: String) async throws -> Bool {
        try await database.withConnection { db in
            try await db.raw(
                """
                UPDATE calls SET node_id = \(bind: to)
                WHERE call_id = \(bind: callID) AND node_id = \(bind: from) AND status = 'pending' RETURNING id
                """
            ).all().count == 1
        }
    }

    /// The node holding a call in flight, while it keeps beating (its sockets are there, and so
    /// is the call's state); nil for a call that ended, is unknown, or whose node stopped.
    public func callHolder(_ callID: String, silence: TimeInterval) async throws -> String? {
        let cutoff = clock.now().millis - Int64(silence * 1000)
        return try await database.withConnection { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT calls.node_id, call_nodes.heartbeat_at FROM calls JOIN call_nodes ON call_nodes.node_id = calls.node_id
                    WHERE calls.call_id = \(bind: callID) AND calls.status NOT IN ('connected', 'notConnected', 'failed')
                    """
                ).first(),
                let beat = try row.decode(column: "heartbeat_at", as: Int64?.self), beat >= cutoff
            else { return nil }
            return try row.decode(column: "node_id", as: String?.self)
        }
    }
}
