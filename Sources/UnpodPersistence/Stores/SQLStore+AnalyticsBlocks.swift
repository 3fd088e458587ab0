import Foundation
import SQLKit
import UnpodCore

/// Analytics blocks (issue 18): each change in one transaction with its audit event. An update
/// bumps the version; a delete archives (past results stay readable, no new ones are queued).
extension SQLStore {
    public func createAnalyticsBlock(orgID: Int, _ definition: AnalyticsBlockDefinition, actor: AuditActor) async throws -> AnalyticsBlock {
        var generator = SystemRandomNumberGenerator()
        let blockID = "blk_" + Base62.random(count: 20, using: &generator)
        let now = clock.now().millis
        let document = String(decoding: try JSONEncoder.sortedKeys.encode(definition), as: UTF8.self)
        return try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO analytics_blocks (block_id, org_id, definition, version, state, created_at, modified_at)
                VALUES (\(bind: blockID), \(bind: orgID), \(bind: document), 1, 'active', \(bind: now), \(bind: now))
                """
            ).run()
            var details = ["name": definition.name, "fields": String(definition.fields.count)]
            if let template = definition.templateID { details["template"] = template }
            try await audit(
                db,
                AuditRecord(
                    action: "analytics_block.created", targetType: "analytics_block", targetID: blockID, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: details),
                by: actor)
            guard let block = try await Self.analyticsBlock(db, orgID: orgID, blockID: blockID) else { throw StoreError.notFound("Analytics block not found.") }
            return block.block
        }
    }

    public func analyticsBlocks(orgID: Int, includeArchived: Bool) async throws -> [AnalyticsBlock] {
        try await database.withConnection { db in
            let archived: SQLQueryString = includeArchived ? "" : " AND b.state = 'active'"
            let rows = try await db.raw(
                SQLQueryString(Self.blockSelect) + " WHERE b.org_id = \(bind: orgID)" + archived + " ORDER BY b.id LIMIT 1000"
            ).all()
            let agents = try await Self.blockAgents(db, orgID: orgID)
            return try rows.map { row in
                var block = try Self.analyticsBlock(from: row)
                block.agentHandles = agents[try row.decode(column: "id", as: Int.self)] ?? []
                return block
            }
        }
    }

    public func analyticsBlock(orgID: Int, blockID: String) async throws -> AnalyticsBlock? {
        guard (1...64).contains(blockID.utf8.count) else { return nil }
        return try await database.withConnection { db in try await Self.analyticsBlock(db, orgID: orgID, blockID: blockID)?.block }
    }

    /// Changes an active block: `change` edits its definition; a change bumps the version, an
    /// update that changes nothing leaves it.
    public func updateAnalyticsBlock(
        orgID: Int, blockID: String, actor: AuditActor, change: @escaping @Sendable (inout AnalyticsBlockDefinition) throws -> Void
    ) async throws -> AnalyticsBlock {
        try await database.transaction { db in
            guard let current = try await Self.analyticsBlock(db, orgID: orgID, blockID: blockID), current.block.state == .active else {
                throw StoreError.notFound("Analytics block not found.")
            }
            var definition = current.block.definition
            try change(&definition)
            guard definition != current.block.definition else { return current.block }
            let document = String(decoding: try JSONEncoder.sortedKeys.encode(definition), as: UTF8.self)
            let version = current.block.version + 1
            try await db.raw(
                """
                UPDATE analytics_blocks SET definition = \(bind: document), version = \(bind: version), modified_at = \(bind: clock.now().millis)
                WHERE id = \(bind: current.rowID)
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "analytics_block.updated", targetType: "analytics_block", targetID: blockID, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: ["version": String(version)]),
                by: actor)
            return try await Self.analyticsBlock(db, orgID: orgID, blockID: blockID)?.block ?? current.block
        }
    }

    /// Archives a block and drops its attachments; its results stay.
    public func archiveAnalyticsBlock(orgID: Int, blockID: String, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let current = try await Self.analyticsBlock(db, orgID: orgID, blockID: blockID), current.block.state == .active else {
                throw StoreError.notFound("Analytics block not found.")
            }
            try await db.raw(
                "UPDATE analytics_blocks SET state = 'archived', modified_at = \(bind: clock.now().millis) WHERE id = \(bind: current.rowID)"
            ).run()
            try await db.raw("DELETE FROM analytics_block_agents WHERE block_id = \(bind: current.rowID)").run()
            try await audit(
                db,
                AuditRecord(
                    action: "analytics_block.archived", targetType: "analytics_block", targetID: blockID, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: [:]),
                by: actor)
        }
    }

    /// Attaches (idempotent) or detaches a block and an agent of the same organization.
    public func setAnalyticsBlockAttached(
        _ attached: Bool, orgID: Int, blockID: String, agent: AgentRecord, actor: AuditActor
    ) async throws {
        try await database.transaction { db in
            guard let current = try await Self.analyticsBlock(db, orgID: orgID, blockID: blockID), current.block.state == .active else {
                throw StoreError.notFound("Analytics block not found.")
            }
            let existing = try await db.raw(
                "SELECT block_id FROM analytics_block_agents WHERE block_id = \(bind: current.rowID) AND agent_id = \(bind: agent.rowID)"
            ).first() != nil
            guard existing != attached else { return }
            if attached {
                try await db.raw(
                    "INSERT INTO analytics_block_agents (block_id, agent_id) VALUES (\(bind: current.rowID), \(bind: agent.rowID))"
                ).run()
            } else {
                try await db.raw(
                    "DELETE FROM analytics_block_agents WHERE block_id = \(bind: current.rowID) AND agent_id = \(bind: agent.rowID)"
                ).run()
            }
            try await audit(
                db,
                AuditRecord(
                    action: attached ? "analytics_block.attached" : "analytics_block.detached", targetType: "analytics_block",
                    targetID: blockID, orgID: orgID, orgHandle: try await Self.handle(db, orgID: orgID),
                    details: ["agent": agent.agent.handle]),
                by: actor)
        }
    }

    static let blockSelect = """
        SELECT b.*, organizations.domain_handle AS org_handle
        FROM analytics_blocks b JOIN organizations ON organizations.id = b.org_id
        """

    static func analyticsBlock(_ db: any SQLDatabase, orgID: Int, blockID: String) async throws -> (block: AnalyticsBlock, rowID: Int)? {
        guard let row = try await db.raw(SQLQueryString(blockSelect) + " WHERE b.org_id = \(bind: orgID) AND b.block_id = \(bind: blockID)").first()
        else { return nil }
        let rowID = try row.decode(column: "id", as: Int.self)
        var block = try analyticsBlock(from: row)
        block.agentHandles = try await db.raw(
            """
            SELECT agents.handle FROM analytics_block_agents l JOIN agents ON agents.id = l.agent_id
            WHERE l.block_id = \(bind: rowID) ORDER BY agents.handle
            """
        ).all().map { try $0.decode(column: "handle", as: String.self) }
        return (block, rowID)
    }

    /// The agents of every block of an organization, by block row id.
    private static func blockAgents(_ db: any SQLDatabase, orgID: Int) async throws -> [Int: [String]] {
        let rows = try await db.raw(
            """
            SELECT l.block_id, agents.handle FROM analytics_block_agents l JOIN agents ON agents.id = l.agent_id
            WHERE agents.org_id = \(bind: orgID) ORDER BY agents.handle
            """
        ).all()
        var byBlock: [Int: [String]] = [:]
        for row in rows { byBlock[try row.decode(column: "block_id", as: Int.self), default: []].append(try row.decode(column: "handle", as: String.self)) }
        return byBlock
    }

    static func analyticsBlock(from row: any SQLRow) throws -> AnalyticsBlock {
        AnalyticsBlock(
            blockID: try row.decode(column: "block_id", as: String.self), orgHandle: try row.decode(column: "org_handle", as: String.self),
            definition: try JSONDecoder().decode(AnalyticsBlockDefinition.self, from: Data(try row.decode(column: "definition", as: String.self).utf8)),
            version: try row.decode(column: "version", as: Int.self),
            state: AnalyticsBlock.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .archived, agentHandles: [],
            created: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            modified: Date(millis: try row.decode(column: "modified_at", as: Int64.self)))
    }
}
