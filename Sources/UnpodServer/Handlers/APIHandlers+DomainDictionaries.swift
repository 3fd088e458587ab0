import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Domain dictionaries (issue 18), as the SDK's `client.domain_dictionaries` sends them: reads
/// merge the bundled seed with the organization's rows (its rows win per key); a write replaces
/// the organization's layer whole; an agent is tagged with one domain at most.
extension APIHandlers {
    func listDomainDictionaries(_ input: Operations.ListDomainDictionaries.Input) async throws -> Operations.ListDomainDictionaries.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let tenant = Dictionary(uniqueKeysWithValues: try await store.tenantDictionaries(orgID: organization.id).map { ($0.domain, $0) })
        let agents = try await store.agentsByDomain(orgID: organization.id)
        let names = Set(tenant.keys).union(DomainSeeds.all.keys).sorted()
        let items = names.map { Self.dictionary($0, tenant: tenant[$0], agents: agents[$0] ?? []) }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Domain dictionaries fetched.", data: items, count: items.count))))
    }

    func getDomainDictionary(_ input: Operations.GetDomainDictionary.Input) async throws -> Operations.GetDomainDictionary.Output {
        .ok(.init(body: .json(.init(statusCode: ._200, message: "Domain dictionary fetched.", data: try await existingDictionary(input.path.domain)))))
    }

    func putDomainDictionary(_ input: Operations.PutDomainDictionary.Input) async throws -> Operations.PutDomainDictionary.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let domain = try Self.domainName(input.path.domain)
        let rows = DictionaryRows(
            vocabulary: try Self.rows(body.vocabulary, "vocabulary"), pronunciation: try Self.rows(body.pronunciation, "pronunciation"),
            fillers: try Self.rows(body.fillers, "fillers"))
        var settings: [String: JSONValue]?
        if let given = body.settings {
            guard case .object(let members) = given else { throw ContentError("settings must be an object") }
            settings = members
        }
        _ = try await store.saveDictionary(
            orgID: organization.id, domain: domain, rows: rows, settings: settings, action: "domain_dictionary.saved", actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Domain dictionary saved.", data: try await existingDictionary(domain)))))
    }

    func deleteDomainDictionary(_ input: Operations.DeleteDomainDictionary.Input) async throws -> Operations.DeleteDomainDictionary.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let domain = input.path.domain
        let seeded = DomainSeeds.all[domain] != nil
        let stored = try await store.tenantDictionary(orgID: organization.id, domain: domain)
        guard seeded || stored != nil else {
            throw APIError.notFound("Domain dictionary not found.")
        }
        // A seeded domain is reset (its agents keep the tag and the seed); a custom one ceases to exist.
        try await store.deleteDictionary(orgID: organization.id, domain: domain, untag: !seeded, actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Domain dictionary deleted.", data: .init(domain: domain, deleted: !seeded, reset: seeded)))))
    }

    func attachDomainDictionary(_ input: Operations.AttachDomainDictionary.Input) async throws -> Operations.AttachDomainDictionary.Output {
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Domain dictionary attached.", data: try await tag(true, input.path.domain, body.agentId)))))
    }

    func detachDomainDictionary(_ input: Operations.DetachDomainDictionary.Input) async throws -> Operations.DetachDomainDictionary.Output {
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Domain dictionary detached.", data: try await tag(false, input.path.domain, body.agentId)))))
    }

    func cloneDomainDictionary(_ input: Operations.CloneDomainDictionary.Input) async throws -> Operations.CloneDomainDictionary.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let source = try await existingDictionary(input.path.domain)
        let target = try Self.domainName(body.newDomain)
        let rows = DictionaryRows(
            vocabulary: source.vocabulary.map(Self.row), pronunciation: source.pronunciation.map(Self.row), fillers: source.fillers.map(Self.row))
        let stored = try await store.tenantDictionary(orgID: organization.id, domain: source.domain)
        _ = try await store.saveDictionary(
            orgID: organization.id, domain: target, rows: rows, settings: stored?.settings, onlyIfNew: true, action: "domain_dictionary.cloned",
            details: ["from": source.domain], actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Domain dictionary cloned.", data: try await existingDictionary(target)))))
    }

    /// A domain that has a seed or rows of the organization's, merged; 404 otherwise.
    private func existingDictionary(_ domain: String) async throws -> Components.Schemas.DomainDictionary {
        let organization = try APIRequestScope.current().requireMembership().organization
        let tenant = try await store.tenantDictionary(orgID: organization.id, domain: domain)
        guard tenant != nil || DomainSeeds.all[domain] != nil else { throw APIError.notFound("Domain dictionary not found.") }
        return Self.dictionary(domain, tenant: tenant, agents: try await store.agentsByDomain(orgID: organization.id)[domain] ?? [])
    }

    private func tag(_ attached: Bool, _ domain: String, _ agentHandle: String) async throws -> Components.Schemas.DomainDictionary {
        let organization = try APIRequestScope.current().requireMembership().organization
        _ = try await existingDictionary(domain)
        guard let agent = try await store.agent(handle: agentHandle), agent.orgID == organization.id else { throw APIError.notFound("Agent not found.") }
        try await store.setAgentDomain(attached, domain: domain, agent: agent, actor: try auditActor())
        return try await existingDictionary(domain)
    }

    static func dictionary(_ domain: String, tenant: TenantDictionary?, agents: [String]) -> Components.Schemas.DomainDictionary {
        let seed = DomainSeeds.all[domain]
        let merged = (seed ?? DictionaryRows()).overlaid(by: tenant?.rows ?? DictionaryRows())
        let settings = DomainSeeds.defaultSettings.merging(tenant?.settings ?? [:], uniquingKeysWith: { _, own in own })
        let rows = { (rows: [DictionaryRow]) in rows.map { Components.Schemas.DictionaryRow(key: $0.key, value: $0.value) } }
        return .init(
            domain: domain, resolvedKey: .init(seed == nil ? nil : domain), vocabulary: rows(merged.vocabulary),
            pronunciation: rows(merged.pronunciation), fillers: rows(merged.fillers), settings: .object(settings), agentIds: agents,
            updatedByUserId: .init(tenant?.updatedBy), updatedAt: .init(tenant?.updatedAt), seeded: seed != nil,
            seedVocabulary: rows(seed?.vocabulary ?? []), seedPronunciation: rows(seed?.pronunciation ?? []))
    }

    static func row(_ row: Components.Schemas.DictionaryRow) -> DictionaryRow { DictionaryRow(key: row.key, value: row.value) }

    static func rows(_ given: [Components.Schemas.DictionaryRow]?, _ section: String) throws -> [DictionaryRow] {
        let rows = (given ?? []).map(row)
        var seen = Set<String>()
        for row in rows {
            guard seen.insert(row.key.lowercased()).inserted else { throw ContentError("\(section) has the key \(row.key) twice") }
        }
        return rows
    }

    static func domainName(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count), !trimmed.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw ContentError("a domain's name is 1 to 100 characters of one line")
        }
        return trimmed
    }
}
