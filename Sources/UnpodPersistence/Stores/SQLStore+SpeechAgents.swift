import Foundation
import SQLKit
import UnpodCore

/// The speech plane's agents (issue 17): an agent of the workspace (AGT-1…3) with its brain, voices
/// and call limits, read and changed in one transaction with its audit event.
extension SQLStore {
    /// The organization's agents that are not archived, oldest first, with their settings if any.
    public func speechAgents(orgID: Int) async throws -> [SpeechAgentRecord] {
        try await database.withConnection { db in
            try await db.raw(
                SQLQueryString(Self.speechAgentSelect)
                    + " WHERE agents.org_id = \(bind: orgID) AND agents.state <> 'archived' ORDER BY agents.id LIMIT 1000"
            ).all().map(Self.speechAgent(from:))
        }
    }

    /// One agent of the organization by handle (archived ones too), with its settings if any.
    public func speechAgent(orgID: Int, handle: String) async throws -> SpeechAgentRecord? {
        guard Self.isValidAgentHandle(handle) else { return nil }
        return try await database.withConnection { db in try await Self.speechAgent(db, orgID: orgID, handle: handle) }
    }

    /// The settings a call runs with, and the endpoint brain's key opened (held only in memory).
    public func brain(agentRowID: Int) async throws -> (settings: SpeechSettings, apiKey: String?)? {
        try await database.withConnection { db in
            guard
                let row = try await db.raw(
                    "SELECT speech_agents.*, speech_agents.agent_id AS id FROM speech_agents WHERE agent_id = \(bind: agentRowID)"
                ).first()
            else { return nil }
            let sealed = try row.decode(column: "brain_key_sealed", as: String?.self)
            return (try Self.settings(from: row), try sealed.map(vault.open))
        }
    }

    /// Creates an agent with its speech settings (`S/agents`, `agent/voice`). An agent of the same
    /// organization that has no brain yet, or was deleted on this plane, takes them; one that has a
    /// brain, or a handle of another organization, is a conflict.
    public func createSpeechAgent(
        orgID: Int, handle: String, name: String, settings: SpeechSettings, apiKey: String?, actor: AuditActor
    ) async throws -> SpeechAgentRecord {
        guard Self.isValidAgentHandle(handle) else {
            throw StoreError.invalidState("an agent_id is 1 to 64 lower-case letters, digits, dots, hyphens and underscores")
        }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(name.count) else { throw StoreError.invalidState("an agent name is 1 to 200 characters") }
        var given = settings
        given.brain.hasAPIKey = apiKey != nil
        let settings = given
        let sealed = try apiKey.map(vault.seal)
        let now = clock.now().millis
        do {
            return try await database.transaction { db in
                if let existing = try await db.raw("SELECT id, org_id, state FROM agents WHERE handle = \(bind: handle)").first() {
                    let rowID = try existing.decode(column: "id", as: Int.self)
                    let hasBrain = try await db.raw("SELECT agent_id FROM speech_agents WHERE agent_id = \(bind: rowID)").first() != nil
                    let archived = try existing.decode(column: "state", as: String.self) == Agent.State.archived.rawValue
                    guard try existing.decode(column: "org_id", as: Int.self) == orgID, archived || !hasBrain else {
                        throw StoreError.duplicate("An agent with agent_id \(handle) already exists.")
                    }
                    try await db.raw("DELETE FROM speech_agents WHERE agent_id = \(bind: rowID)").run()
                    try await db.raw(
                        """
                        UPDATE agents SET name = \(bind: name), state = 'published', modified_at = \(bind: now)
                        WHERE id = \(bind: rowID)
                        """
                    ).run()
                } else {
                    try await db.raw(
                        """
                        INSERT INTO agents (org_id, handle, name, type, state, purpose, voice_profile_id, created_at, modified_at)
                        VALUES (\(bind: orgID), \(bind: handle), \(bind: name), 'voice', 'published', '',
                                \(bind: settings.voices.first?.voiceProfileID), \(bind: now), \(bind: now))
                        """
                    ).run()
                }
                guard let rowID = try await db.raw("SELECT id FROM agents WHERE handle = \(bind: handle)").first()?
                    .decode(column: "id", as: Int.self)
                else { throw StoreError.notFound("Agent not found.") }
                try await insertSettings(db, agentRowID: rowID, settings, sealedKey: sealed)
                try await audit(
                    db,
                    AuditRecord(
                        action: "speech_agent.created", targetType: "agent", targetID: handle, orgID: orgID,
                        orgHandle: try await Self.handle(db, orgID: orgID),
                        details: ["name": name, "brain": settings.brain.kind.rawValue]),
                    by: actor)
                guard let created = try await Self.speechAgent(db, orgID: orgID, handle: handle) else {
                    throw StoreError.notFound("Agent not found.")
                }
                return created
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("An agent with agent_id \(handle) already exists.")
        }
    }

    /// Changes an agent's name or speech settings in one transaction: `change` edits them (an agent
    /// without settings starts from a runner brain's defaults) and answers the audit details, or
    /// nil when nothing changed. `apiKey`: nil keeps the stored key, `.some(nil)` removes it.
    public func updateSpeechAgent(
        orgID: Int, handle: String, action: String, apiKey: String??, actor: AuditActor,
        change: @escaping @Sendable (inout String, inout SpeechSettings) throws -> [String: String]?
    ) async throws -> SpeechAgentRecord {
        let sealed: String?? = try apiKey.map { try $0.map(vault.seal) }
        return try await database.transaction { db in
            guard let current = try await Self.speechAgent(db, orgID: orgID, handle: handle), current.agent.state != .archived
            else { throw StoreError.notFound("Agent not found.") }
            var name = current.agent.name
            var settings = current.settings ?? SpeechSettings(brain: AgentBrain(kind: .runner, ref: nil))
            guard var details = try change(&name, &settings) else { return current }
            name = name.trimmingCharacters(in: .whitespaces)
            guard (1...200).contains(name.count) else { throw StoreError.invalidState("an agent name is 1 to 200 characters") }
            var sealedKey = try await db.raw("SELECT brain_key_sealed FROM speech_agents WHERE agent_id = \(bind: current.record.rowID)")
                .first()?.decode(column: "brain_key_sealed", as: String?.self)
            if let sealed {
                sealedKey = sealed
                details["api_key"] = sealed == nil ? "removed" : "replaced"
            }
            if settings.brain.kind != .endpoint { sealedKey = nil }
            settings.brain.hasAPIKey = sealedKey != nil
            try await db.raw("DELETE FROM speech_agents WHERE agent_id = \(bind: current.record.rowID)").run()
            try await insertSettings(db, agentRowID: current.record.rowID, settings, sealedKey: sealedKey)
            try await db.raw(
                """
                UPDATE agents SET name = \(bind: name), voice_profile_id = \(bind: settings.voices.first(where: \.isDefault)?.voiceProfileID),
                                  modified_at = \(bind: clock.now().millis)
                WHERE id = \(bind: current.record.rowID)
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: action, targetType: "agent", targetID: handle, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: details),
                by: actor)
            guard let after = try await Self.speechAgent(db, orgID: orgID, handle: handle) else {
                throw StoreError.notFound("Agent not found.")
            }
            return after
        }
    }

    /// Deletes an agent on the speech plane: its settings go and it is archived (its calls, tasks
    /// and call logs stay; its handle can be created again).
    public func deleteSpeechAgent(orgID: Int, handle: String, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let current = try await Self.speechAgent(db, orgID: orgID, handle: handle), current.agent.state != .archived
            else { throw StoreError.notFound("Agent not found.") }
            try await db.raw("DELETE FROM speech_agents WHERE agent_id = \(bind: current.record.rowID)").run()
            try await db.raw(
                "UPDATE agents SET state = 'archived', modified_at = \(bind: clock.now().millis) WHERE id = \(bind: current.record.rowID)"
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "speech_agent.deleted", targetType: "agent", targetID: handle, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: ["previous_state": current.agent.state.rawValue]),
                by: actor)
        }
    }

    // MARK: Rows

    func insertSettings(_ db: any SQLDatabase, agentRowID: Int, _ settings: SpeechSettings, sealedKey: String?) async throws {
        let encoder = JSONEncoder.sortedKeys
        func text(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        try await db.raw(
            """
            INSERT INTO speech_agents (agent_id, brain_type, brain_ref, brain_cfg, brain_key_sealed, brain_execution, greeting,
                                       recording, max_call_duration_s, max_concurrent, voices, extra)
            VALUES (\(bind: agentRowID), \(bind: settings.brain.kind.rawValue), \(bind: settings.brain.ref),
                    \(bind: try text(settings.brain.configuration)), \(bind: sealedKey), \(bind: settings.brainExecution),
                    \(bind: settings.greeting), \(bind: settings.recording), \(bind: settings.maxCallDurationSeconds),
                    \(bind: settings.maxConcurrent), \(bind: try text(settings.voices)), \(bind: try text(settings.extra)))
            """
        ).run()
    }

    /// An agent with its speech settings, if any (one row per agent).
    static let speechAgentSelect = """
        SELECT agents.*, speech_agents.brain_type, speech_agents.brain_ref, speech_agents.brain_cfg,
               speech_agents.brain_key_sealed, speech_agents.brain_execution, speech_agents.greeting,
               speech_agents.recording, speech_agents.max_call_duration_s, speech_agents.max_concurrent,
               speech_agents.voices, speech_agents.extra
        FROM agents LEFT JOIN speech_agents ON speech_agents.agent_id = agents.id
        """

    static func speechAgent(_ db: any SQLDatabase, orgID: Int, handle: String) async throws -> SpeechAgentRecord? {
        try await db.raw(
            SQLQueryString(speechAgentSelect) + " WHERE agents.org_id = \(bind: orgID) AND agents.handle = \(bind: handle)"
        ).first().map(speechAgent(from:))
    }

    static func speechAgent(from row: any SQLRow) throws -> SpeechAgentRecord {
        let record = AgentRecord(
            rowID: try row.decode(column: "id", as: Int.self), orgID: try row.decode(column: "org_id", as: Int.self),
            agent: try agent(from: row))
        let hasSettings = try row.decode(column: "brain_type", as: String?.self) != nil
        return SpeechAgentRecord(record: record, settings: hasSettings ? try settings(from: row) : nil)
    }

    static func settings(from row: any SQLRow) throws -> SpeechSettings {
        let decoder = JSONDecoder()
        func decoded<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
            try decoder.decode(T.self, from: Data(try row.decode(column: column, as: String.self).utf8))
        }
        let brain = AgentBrain(
            kind: AgentBrain.Kind(rawValue: try row.decode(column: "brain_type", as: String.self)) ?? .runner,
            ref: try row.decode(column: "brain_ref", as: String?.self),
            configuration: try decoded("brain_cfg", as: [String: JSONValue].self),
            hasAPIKey: try row.decode(column: "brain_key_sealed", as: String?.self) != nil)
        return SpeechSettings(
            brain: brain, brainExecution: try row.decode(column: "brain_execution", as: String.self),
            greeting: try row.decode(column: "greeting", as: String?.self), recording: try row.decode(column: "recording", as: Bool.self),
            maxCallDurationSeconds: try row.decode(column: "max_call_duration_s", as: Int.self),
            maxConcurrent: try row.decode(column: "max_concurrent", as: Int.self),
            voices: try decoded("voices", as: [AgentVoice].self), extra: try decoded("extra", as: [String: JSONValue].self))
    }
}
