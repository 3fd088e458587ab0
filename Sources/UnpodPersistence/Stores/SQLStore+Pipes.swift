import Foundation
import SQLKit
import UnpodCore

/// Pipes (issue 17): created, read, changed and deleted in one transaction with their audit event;
/// an embedded agent is made in the pipe's own transaction.
extension SQLStore {
    public func createPipe(_ new: NewPipe, actor: AuditActor) async throws -> SpeechPipe {
        let name = new.name.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(name.count) else { throw StoreError.invalidState("a pipe's name is 1 to 200 characters") }
        var generator = SystemRandomNumberGenerator()
        let pipeID = "pipe_" + Base62.random(count: 20, using: &generator)
        let now = clock.now().millis
        let sealed: String? = if case .new(_, _, _, let key?) = new.agent { try vault.seal(key) } else { nil }
        do {
            return try await database.transaction { db in
                let agentRowID: Int
                switch new.agent {
                case .existing(let record): agentRowID = record.rowID
                case .new(let handle, let agentName, var settings, _):
                    settings.brain.hasAPIKey = sealed != nil
                    try await db.raw(
                        """
                        INSERT INTO agents (org_id, handle, name, type, state, purpose, voice_profile_id, created_at, modified_at)
                        VALUES (\(bind: new.orgID), \(bind: handle), \(bind: agentName), 'voice', 'published', '',
                                \(bind: new.voiceProfileID), \(bind: now), \(bind: now))
                        """
                    ).run()
                    guard let row = try await db.raw("SELECT id FROM agents WHERE handle = \(bind: handle)").first() else {
                        throw StoreError.notFound("Agent not found.")
                    }
                    agentRowID = try row.decode(column: "id", as: Int.self)
                    try await insertSettings(db, agentRowID: agentRowID, settings, sealedKey: sealed)
                }
                let extra = String(decoding: try JSONEncoder.sortedKeys.encode(new.extra), as: UTF8.self)
                try await db.raw(
                    """
                    INSERT INTO pipes (pipe_id, org_id, agent_id, name, voice_profile_id, recording, max_call_duration_s, extra,
                                       created_at, modified_at)
                    VALUES (\(bind: pipeID), \(bind: new.orgID), \(bind: agentRowID), \(bind: name), \(bind: new.voiceProfileID),
                            \(bind: new.recording), \(bind: new.maxCallDurationSeconds), \(bind: extra), \(bind: now), \(bind: now))
                    """
                ).run()
                var details = ["name": name]
                if case .new(let handle, _, let settings, _) = new.agent {
                    details["agent_created"] = handle
                    details["brain"] = settings.brain.kind.rawValue
                }
                try await audit(
                    db,
                    AuditRecord(
                        action: "pipe.created", targetType: "pipe", targetID: pipeID, orgID: new.orgID,
                        orgHandle: try await Self.handle(db, orgID: new.orgID), details: details),
                    by: actor)
                guard let pipe = try await Self.pipe(db, orgID: new.orgID, pipeID: pipeID) else { throw StoreError.notFound("Pipe not found.") }
                return pipe.pipe
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("An agent with that agent_id already exists.")
        }
    }

    public func pipes(orgID: Int) async throws -> [SpeechPipe] {
        try await database.withConnection { db in
            try await db.raw(SQLQueryString(Self.pipeSelect) + " WHERE pipes.org_id = \(bind: orgID) ORDER BY pipes.id LIMIT 1000")
                .all().map { try Self.pipe(from: $0).pipe }
        }
    }

    /// A pipe of the organization, and the row id of its agent.
    public func pipe(orgID: Int, pipeID: String) async throws -> (pipe: SpeechPipe, agent: AgentRecord)? {
        guard (1...64).contains(pipeID.utf8.count) else { return nil }
        return try await database.withConnection { db in try await Self.pipe(db, orgID: orgID, pipeID: pipeID) }
    }

    /// Changes a pipe: `change` edits it and answers the audit details, nil when nothing changed.
    public func updatePipe(
        orgID: Int, pipeID: String, actor: AuditActor, change: @escaping @Sendable (inout SpeechPipe) throws -> [String: String]?
    ) async throws -> SpeechPipe {
        try await database.transaction { db in
            guard let current = try await Self.pipe(db, orgID: orgID, pipeID: pipeID) else { throw StoreError.notFound("Pipe not found.") }
            var pipe = current.pipe
            guard let details = try change(&pipe) else { return current.pipe }
            let extra = String(decoding: try JSONEncoder.sortedKeys.encode(pipe.extra), as: UTF8.self)
            try await db.raw(
                """
                UPDATE pipes SET name = \(bind: pipe.name), voice_profile_id = \(bind: pipe.voiceProfileID), recording = \(bind: pipe.recording),
                                 max_call_duration_s = \(bind: pipe.maxCallDurationSeconds), extra = \(bind: extra),
                                 modified_at = \(bind: clock.now().millis)
                WHERE pipe_id = \(bind: pipeID)
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "pipe.updated", targetType: "pipe", targetID: pipeID, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: details),
                by: actor)
            return try await Self.pipe(db, orgID: orgID, pipeID: pipeID)?.pipe ?? pipe
        }
    }

    /// Deletes a pipe (its agent and its calls stay; a call keeps the pipe's id).
    public func deletePipe(orgID: Int, pipeID: String, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard try await Self.pipe(db, orgID: orgID, pipeID: pipeID) != nil else { throw StoreError.notFound("Pipe not found.") }
            try await db.raw("DELETE FROM pipes WHERE pipe_id = \(bind: pipeID)").run()
            try await audit(
                db,
                AuditRecord(
                    action: "pipe.deleted", targetType: "pipe", targetID: pipeID, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: [:]),
                by: actor)
        }
    }

    static let pipeSelect = """
        SELECT pipes.*, agents.handle AS agent_handle, agents.name AS agent_name, agents.type AS agent_type,
               agents.state AS agent_state, agents.purpose AS agent_purpose, organizations.domain_handle AS org_handle,
               speech_agents.brain_type, speech_agents.brain_ref
        FROM pipes JOIN agents ON agents.id = pipes.agent_id JOIN organizations ON organizations.id = pipes.org_id
                   LEFT JOIN speech_agents ON speech_agents.agent_id = pipes.agent_id
        """

    static func pipe(_ db: any SQLDatabase, orgID: Int, pipeID: String) async throws -> (pipe: SpeechPipe, agent: AgentRecord)? {
        try await db.raw(
            SQLQueryString(pipeSelect) + " WHERE pipes.org_id = \(bind: orgID) AND pipes.pipe_id = \(bind: pipeID)"
        ).first().map(pipe(from:))
    }

    static func pipe(from row: any SQLRow) throws -> (pipe: SpeechPipe, agent: AgentRecord) {
        let brain = try row.decode(column: "brain_type", as: String?.self).flatMap(AgentBrain.Kind.init(rawValue:)).map {
            AgentBrain(kind: $0, ref: try? row.decode(column: "brain_ref", as: String?.self))
        }
        let agent = Agent(
            handle: try row.decode(column: "agent_handle", as: String.self), name: try row.decode(column: "agent_name", as: String.self),
            type: try row.decode(column: "agent_type", as: String.self),
            state: Agent.State(rawValue: try row.decode(column: "agent_state", as: String.self)) ?? .draft,
            purpose: try row.decode(column: "agent_purpose", as: String.self))
        let extra = try JSONDecoder().decode([String: JSONValue].self, from: Data(try row.decode(column: "extra", as: String.self).utf8))
        let pipe = SpeechPipe(
            pipeID: try row.decode(column: "pipe_id", as: String.self), orgHandle: try row.decode(column: "org_handle", as: String.self),
            agentHandle: agent.handle, name: try row.decode(column: "name", as: String.self),
            voiceProfileID: try row.decode(column: "voice_profile_id", as: String?.self), recording: try row.decode(column: "recording", as: Bool.self),
            maxCallDurationSeconds: try row.decode(column: "max_call_duration_s", as: Int.self), brain: brain, extra: extra,
            created: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            modified: Date(millis: try row.decode(column: "modified_at", as: Int64.self)))
        return (
            pipe,
            AgentRecord(
                rowID: try row.decode(column: "agent_id", as: Int.self), orgID: try row.decode(column: "org_id", as: Int.self), agent: agent)
        )
    }
}
