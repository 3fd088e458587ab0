import Foundation
import SQLKit
import UnpodCore

/// An agent row: its organization and row id, for the endpoints addressed by handle.
public struct AgentRecord: Sendable, Equatable {
    public var rowID: Int
    public var orgID: Int
    public var agent: Agent
}

extension SQLStore {
    /// Handles are what tasks name as `pilot`: lower-case letters, digits, dots, hyphens and
    /// underscores, unique across organizations (AGT-2 and AGT-3 find the organization from them).
    public func createAgent(
        orgID: Int, handle: String, name: String, type: String, purpose: String, voiceProfileID: String?, publish: Bool,
        actor: AuditActor
    ) async throws -> Agent {
        let handle = handle.trimmingCharacters(in: .whitespaces)
        guard Self.isValidAgentHandle(handle) else {
            throw StoreError.invalidState("an agent handle is 1 to 64 lower-case letters, digits, dots, hyphens and underscores")
        }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(name.count) else { throw StoreError.invalidState("an agent name is 1 to 200 characters") }
        guard (1...40).contains(type.count) else { throw StoreError.invalidState("an agent type is 1 to 40 characters") }
        let state: Agent.State = publish ? .published : .draft
        let now = clock.now().millis
        do {
            return try await database.transaction { db in
                if try await db.raw("SELECT id FROM agents WHERE handle = \(bind: handle)").first() != nil {
                    throw StoreError.duplicate("an agent with handle \(handle) exists")
                }
                try await db.raw(
                    """
                    INSERT INTO agents (org_id, handle, name, type, state, purpose, voice_profile_id, created_at, modified_at)
                    VALUES (\(bind: orgID), \(bind: handle), \(bind: name), \(bind: type), \(bind: state.rawValue),
                            \(bind: purpose), \(bind: voiceProfileID), \(bind: now), \(bind: now))
                    """
                ).run()
                try await audit(
                    db,
                    AuditRecord(
                        action: "agent.created", targetType: "agent", targetID: handle, orgID: orgID,
                        orgHandle: try await Self.handle(db, orgID: orgID), details: ["name": name, "state": state.rawValue]),
                    by: actor)
                return Agent(handle: handle, name: name, type: type, state: state, purpose: purpose)
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("an agent with handle \(handle) exists")
        }
    }

    /// AGT-1: the organization's agents, oldest first.
    public func agents(orgID: Int, page: Int, pageSize: Int) async throws -> Page<Agent> {
        try await self.page(
            of: "agents", where: "org_id = \(bind: orgID)", orderBy: "id", page: page, pageSize: pageSize,
            decode: { try Self.agent(from: $0) })
    }

    /// The agent with this handle, in whichever organization.
    public func agent(handle: String) async throws -> AgentRecord? {
        guard Self.isValidAgentHandle(handle) else { return nil }
        return try await database.withConnection { db in
            try await db.raw("SELECT * FROM agents WHERE handle = \(bind: handle)").first().map { row in
                AgentRecord(
                    rowID: try row.decode(column: "id", as: Int.self), orgID: try row.decode(column: "org_id", as: Int.self),
                    agent: try Self.agent(from: row))
            }
        }
    }

    /// Publishes or archives an agent (`unpod agents publish|archive`). Only published agents take tasks.
    public func setAgentState(orgID: Int, handle: String, _ state: Agent.State, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard
                let row = try await db.raw("SELECT state FROM agents WHERE org_id = \(bind: orgID) AND handle = \(bind: handle)")
                    .first()
            else { throw StoreError.notFound("Agent not found.") }
            let previous = try row.decode(column: "state", as: String.self)
            guard previous != state.rawValue else { return }
            try await db.raw(
                """
                UPDATE agents SET state = \(bind: state.rawValue), modified_at = \(bind: clock.now().millis)
                WHERE org_id = \(bind: orgID) AND handle = \(bind: handle)
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: state == .archived ? "agent.archived" : state == .published ? "agent.published" : "agent.unpublished",
                    targetType: "agent", targetID: handle, orgID: orgID, orgHandle: try await Self.handle(db, orgID: orgID),
                    details: ["previous_state": previous]),
                by: actor)
        }
    }

    /// Edits an agent's name, type, purpose or voice profile (what is nil stays).
    public func updateAgent(
        orgID: Int, handle: String, name: String?, type: String?, purpose: String?, voiceProfileID: String?, actor: AuditActor
    ) async throws -> Agent {
        let name = name?.trimmingCharacters(in: .whitespaces)
        if let name, !(1...200).contains(name.count) { throw StoreError.invalidState("an agent name is 1 to 200 characters") }
        if let type, !(1...40).contains(type.count) { throw StoreError.invalidState("an agent type is 1 to 40 characters") }
        if let purpose, purpose.count > 2000 { throw StoreError.invalidState("an agent's purpose is at most 2,000 characters") }
        return try await database.transaction { db in
            guard
                let row = try await db.raw("SELECT * FROM agents WHERE org_id = \(bind: orgID) AND handle = \(bind: handle)").first()
            else { throw StoreError.notFound("Agent not found.") }
            var agent = try Self.agent(from: row)
            var details: [String: String] = [:]
            if let name, name != agent.name { (agent.name, details["name"]) = (name, name) }
            if let type, type != agent.type { (agent.type, details["type"]) = (type, type) }
            if let purpose, purpose != agent.purpose { (agent.purpose, details["purpose"]) = (purpose, purpose) }
            let voiceProfile = try voiceProfileID ?? row.decode(column: "voice_profile_id", as: String?.self)
            if let voiceProfileID { details["voice_profile_id"] = voiceProfileID }
            guard !details.isEmpty else { return agent }
            try await db.raw(
                """
                UPDATE agents SET name = \(bind: agent.name), type = \(bind: agent.type), purpose = \(bind: agent.purpose),
                                  voice_profile_id = \(bind: voiceProfile), modified_at = \(bind: clock.now().millis)
                WHERE org_id = \(bind: orgID) AND handle = \(bind: handle)
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "agent.updated", targetType: "agent", targetID: handle, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: details),
                by: actor)
            return agent
        }
    }

    static func agent(from row: any SQLRow) throws -> Agent {
        Agent(
            handle: try row.decode(column: "handle", as: String.self), name: try row.decode(column: "name", as: String.self),
            type: try row.decode(column: "type", as: String.self),
            state: Agent.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
            purpose: try row.decode(column: "purpose", as: String.self))
    }

    static func isValidAgentHandle(_ handle: String) -> Bool {
        (1...64).contains(handle.utf8.count)
            && handle.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
                    || $0 == UInt8(ascii: "_")
            }
    }
}
