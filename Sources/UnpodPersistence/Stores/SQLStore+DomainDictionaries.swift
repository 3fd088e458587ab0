import Foundation
import SQLKit
import UnpodCore

/// Domain dictionaries (issue 18): an organization's rows per domain, and the one domain each of
/// its agents is tagged with. Each change in one transaction with its audit event.
extension SQLStore {
    public func tenantDictionaries(orgID: Int) async throws -> [TenantDictionary] {
        try await database.withConnection { db in
            try await db.raw("SELECT * FROM domain_dictionaries WHERE org_id = \(bind: orgID) ORDER BY domain LIMIT 1000").all()
                .map(Self.tenantDictionary(from:))
        }
    }

    public func tenantDictionary(orgID: Int, domain: String) async throws -> TenantDictionary? {
        try await database.withConnection { db in try await Self.tenantDictionary(db, orgID: orgID, domain: domain) }
    }

    /// Replaces a domain's rows (creating it); `settings` nil keeps the stored ones. With
    /// `onlyIfNew`, a domain that already has rows is a conflict (a clone never overwrites).
    public func saveDictionary(
        orgID: Int, domain: String, rows: DictionaryRows, settings: [String: JSONValue]?, onlyIfNew: Bool = false, action: String,
        details: [String: String] = [:], actor: AuditActor
    ) async throws -> TenantDictionary {
        let now = clock.now().millis
        let encoder = JSONEncoder.sortedKeys
        let rowsText = String(decoding: try encoder.encode(rows), as: UTF8.self)
        let by = actor.userID.map(String.init)
        return try await database.transaction { db in
            let existing = try await Self.tenantDictionary(db, orgID: orgID, domain: domain)
            if onlyIfNew, let existing, !existing.rows.isEmpty {
                throw StoreError.duplicate("The domain \(domain) already has rows; delete it first or clone into another name.")
            }
            let kept = settings ?? existing?.settings
            let settingsText = try kept.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try await db.raw(
                """
                INSERT INTO domain_dictionaries (org_id, domain, rows, settings, updated_by, updated_at)
                VALUES (\(bind: orgID), \(bind: domain), \(bind: rowsText), \(bind: settingsText), \(bind: by), \(bind: now))
                ON CONFLICT (org_id, domain) DO UPDATE SET rows = \(bind: rowsText), settings = \(bind: settingsText),
                    updated_by = \(bind: by), updated_at = \(bind: now)
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: action, targetType: "domain_dictionary", targetID: domain, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID),
                    details: details.merging(["vocabulary": String(rows.vocabulary.count)], uniquingKeysWith: { first, _ in first })),
                by: actor)
            return try await Self.tenantDictionary(db, orgID: orgID, domain: domain)!
        }
    }

    /// Deletes a domain's rows; with `untag`, its agents lose the tag too. False when it had no rows.
    @discardableResult
    public func deleteDictionary(orgID: Int, domain: String, untag: Bool, actor: AuditActor) async throws -> Bool {
        try await database.transaction { db in
            let existed = try await Self.tenantDictionary(db, orgID: orgID, domain: domain) != nil
            try await db.raw("DELETE FROM domain_dictionaries WHERE org_id = \(bind: orgID) AND domain = \(bind: domain)").run()
            if untag { try await db.raw("DELETE FROM agent_domains WHERE org_id = \(bind: orgID) AND domain = \(bind: domain)").run() }
            try await audit(
                db,
                AuditRecord(
                    action: "domain_dictionary.deleted", targetType: "domain_dictionary", targetID: domain, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: ["agents_untagged": String(untag)]),
                by: actor)
            return existed
        }
    }

    /// Tags an agent with a domain (leaving any other), or takes this domain's tag off it.
    public func setAgentDomain(_ attached: Bool, domain: String, agent: AgentRecord, actor: AuditActor) async throws {
        try await database.transaction { db in
            if attached {
                try await db.raw(
                    """
                    INSERT INTO agent_domains (agent_id, org_id, domain) VALUES (\(bind: agent.rowID), \(bind: agent.orgID), \(bind: domain))
                    ON CONFLICT (agent_id) DO UPDATE SET domain = \(bind: domain)
                    """
                ).run()
            } else {
                try await db.raw("DELETE FROM agent_domains WHERE agent_id = \(bind: agent.rowID) AND domain = \(bind: domain)").run()
            }
            try await audit(
                db,
                AuditRecord(
                    action: attached ? "domain_dictionary.attached" : "domain_dictionary.detached", targetType: "domain_dictionary",
                    targetID: domain, orgID: agent.orgID, orgHandle: try await Self.handle(db, orgID: agent.orgID),
                    details: ["agent": agent.agent.handle]),
                by: actor)
        }
    }

    /// Each domain's tagged agents, by domain.
    public func agentsByDomain(orgID: Int) async throws -> [String: [String]] {
        try await database.withConnection { db in
            var byDomain: [String: [String]] = [:]
            for row in try await db.raw(
                """
                SELECT agent_domains.domain, agents.handle FROM agent_domains JOIN agents ON agents.id = agent_domains.agent_id
                WHERE agent_domains.org_id = \(bind: orgID) ORDER BY agents.handle
                """
            ).all() {
                byDomain[try row.decode(column: "domain", as: String.self), default: []].append(try row.decode(column: "handle", as: String.self))
            }
            return byDomain
        }
    }

    static func tenantDictionary(_ db: any SQLDatabase, orgID: Int, domain: String) async throws -> TenantDictionary? {
        try await db.raw("SELECT * FROM domain_dictionaries WHERE org_id = \(bind: orgID) AND domain = \(bind: domain)").first()
            .map(tenantDictionary(from:))
    }

    static func tenantDictionary(from row: any SQLRow) throws -> TenantDictionary {
        let decoder = JSONDecoder()
        return TenantDictionary(
            domain: try row.decode(column: "domain", as: String.self),
            rows: try decoder.decode(DictionaryRows.self, from: Data(try row.decode(column: "rows", as: String.self).utf8)),
            settings: try row.decode(column: "settings", as: String?.self).map { try decoder.decode([String: JSONValue].self, from: Data($0.utf8)) },
            updatedBy: try row.decode(column: "updated_by", as: String?.self),
            updatedAt: Date(millis: try row.decode(column: "updated_at", as: Int64.self)))
    }
}
