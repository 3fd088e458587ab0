import Foundation
import SQLKit
import UnpodCore

/// Custom tools and agents' tools (issue 18): each change in one transaction with its audit event.
/// An agent's tools are names: a built-in's or a custom tool's id, so editing a tool reaches every
/// agent that has it.
extension SQLStore {
    /// Creates or replaces a tool by id.
    public func saveCustomTool(orgID: Int, _ tool: CustomTool, actor: AuditActor) async throws -> CustomTool {
        let now = clock.now().millis
        var stored = tool
        stored.agentHandles = []
        let document = String(decoding: try JSONEncoder.sortedKeys.encode(stored), as: UTF8.self)
        return try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO custom_tools (org_id, tool_id, definition, created_at, modified_at)
                VALUES (\(bind: orgID), \(bind: tool.toolID), \(bind: document), \(bind: now), \(bind: now))
                ON CONFLICT (org_id, tool_id) DO UPDATE SET definition = \(bind: document), modified_at = \(bind: now)
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "custom_tool.saved", targetType: "custom_tool", targetID: tool.toolID, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: ["method": tool.method, "url": String(tool.url.prefix(200))]),
                by: actor)
            return try await Self.customTools(db, orgID: orgID, toolID: tool.toolID).first ?? tool
        }
    }

    public func customTools(orgID: Int) async throws -> [CustomTool] {
        try await database.withConnection { db in try await Self.customTools(db, orgID: orgID, toolID: nil) }
    }

    public func customTool(orgID: Int, toolID: String) async throws -> CustomTool? {
        try await database.withConnection { db in try await Self.customTools(db, orgID: orgID, toolID: toolID).first }
    }

    /// Deletes a tool and detaches it from every agent of the organization.
    public func deleteCustomTool(orgID: Int, toolID: String, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard try await Self.customTools(db, orgID: orgID, toolID: toolID).first != nil else { throw StoreError.notFound("Tool not found.") }
            try await db.raw(
                "DELETE FROM agent_tools WHERE tool = \(bind: toolID) AND agent_id IN (SELECT id FROM agents WHERE org_id = \(bind: orgID))"
            ).run()
            try await db.raw("DELETE FROM custom_tools WHERE org_id = \(bind: orgID) AND tool_id = \(bind: toolID)").run()
            try await audit(
                db,
                AuditRecord(
                    action: "custom_tool.deleted", targetType: "custom_tool", targetID: toolID, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: [:]),
                by: actor)
        }
    }

    /// Gives an agent a tool or takes it away (idempotent); false when nothing changed.
    @discardableResult
    public func setAgentTool(_ attached: Bool, tool: String, agent: AgentRecord, actor: AuditActor) async throws -> Bool {
        try await database.transaction { db in
            let existing = try await db.raw(
                "SELECT tool FROM agent_tools WHERE agent_id = \(bind: agent.rowID) AND tool = \(bind: tool)"
            ).first() != nil
            guard existing != attached else { return false }
            if attached {
                try await db.raw("INSERT INTO agent_tools (agent_id, tool) VALUES (\(bind: agent.rowID), \(bind: tool))").run()
            } else {
                try await db.raw("DELETE FROM agent_tools WHERE agent_id = \(bind: agent.rowID) AND tool = \(bind: tool)").run()
            }
            try await audit(
                db,
                AuditRecord(
                    action: attached ? "tool.attached" : "tool.detached", targetType: "agent", targetID: agent.agent.handle,
                    orgID: agent.orgID, orgHandle: try await Self.handle(db, orgID: agent.orgID), details: ["tool": tool]),
                by: actor)
            return true
        }
    }

    /// The names of an agent's attached tools.
    public func agentTools(agentRowID: Int) async throws -> [String] {
        try await database.withConnection { db in
            try await db.raw("SELECT tool FROM agent_tools WHERE agent_id = \(bind: agentRowID) ORDER BY tool").all()
                .map { try $0.decode(column: "tool", as: String.self) }
        }
    }

    static func customTools(_ db: any SQLDatabase, orgID: Int, toolID: String?) async throws -> [CustomTool] {
        let only: SQLQueryString = toolID.map { " AND t.tool_id = \(bind: $0)" } ?? ""
        let rows = try await db.raw(
            "SELECT t.tool_id, t.definition FROM custom_tools t WHERE t.org_id = \(bind: orgID)" + only + " ORDER BY t.tool_id LIMIT 1000"
        ).all()
        let attached = try await db.raw(
            """
            SELECT agent_tools.tool, agents.handle FROM agent_tools JOIN agents ON agents.id = agent_tools.agent_id
            WHERE agents.org_id = \(bind: orgID) ORDER BY agents.handle
            """
        ).all()
        var byTool: [String: [String]] = [:]
        for row in attached { byTool[try row.decode(column: "tool", as: String.self), default: []].append(try row.decode(column: "handle", as: String.self)) }
        return try rows.map { row in
            var tool = try JSONDecoder().decode(CustomTool.self, from: Data(try row.decode(column: "definition", as: String.self).utf8))
            tool.agentHandles = byTool[tool.toolID] ?? []
            return tool
        }
    }
}
