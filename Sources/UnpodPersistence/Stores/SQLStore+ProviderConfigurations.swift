import Foundation
import SQLKit
import UnpodCore

/// What a new provider configuration holds, or (all optional) what an update changes.
public struct ProviderConfigurationFields: Sendable, Equatable {
    public var name: String?
    /// The account's public id at the provider (`account_sid` / `api_key`).
    public var account: String?
    /// The credential (`auth_token` / `api_secret`).
    public var secret: String?
    /// Double optionals: `.some(nil)` clears the value.
    public var baseURL: String??
    public var sipURL: String??
    public var meta: [ProviderConfiguration.MetaEntry]?
    public var active: Bool?

    public init(
        name: String? = nil, account: String? = nil, secret: String? = nil, baseURL: String?? = nil,
        sipURL: String?? = nil, meta: [ProviderConfiguration.MetaEntry]? = nil, active: Bool? = nil
    ) {
        self.name = name
        self.account = account
        self.secret = secret
        self.baseURL = baseURL
        self.sipURL = sipURL
        self.meta = meta
        self.active = active
    }
}

extension SQLStore {
    /// PRV-1: the global catalog, by id.
    public func providers() async throws -> [Provider] {
        try await database.withConnection { db in
            try await db.raw("SELECT * FROM providers ORDER BY id").all().map(Self.provider(from:))
        }
    }

    /// A catalog entry by id or slug.
    public func provider(_ reference: ProviderReference) async throws -> Provider? {
        try await database.withConnection { db in
            switch reference {
            case .id(let id):
                try await db.raw("SELECT * FROM providers WHERE id = \(bind: id)").first().map(Self.provider(from:))
            case .slug(let slug):
                try await db.raw("SELECT * FROM providers WHERE slug = \(bind: slug.lowercased())").first()
                    .map(Self.provider(from:))
            }
        }
    }

    /// CFG-2: the organization's configurations, oldest first.
    public func providerConfigurations(orgID: Int, page: Int, pageSize: Int) async throws -> Page<ProviderConfiguration> {
        try await self.page(
            of: Self.configurationSource, columns: Self.configurationColumns, where: "c.org_id = \(bind: orgID)",
            orderBy: "c.id", page: page,
            pageSize: pageSize, decode: Self.configuration(from:))
    }

    /// CFG-3: one configuration of the organization; nil for another organization's.
    public func providerConfiguration(_ id: Int, orgID: Int) async throws -> ProviderConfiguration? {
        try await database.withConnection { db in
            try await Self.configuration(db, id: id, orgID: orgID)
        }
    }

    /// CFG-1. The same account of the same provider twice in one organization is a duplicate.
    public func createProviderConfiguration(
        orgID: Int, provider: Provider, name: String, account: String, secret: String,
        fields: ProviderConfigurationFields, actor: AuditActor
    ) async throws -> ProviderConfiguration {
        let now = clock.now().millis
        let accountHash = accountHash(providerID: provider.id, account: account)
        let sealedAccount = try vault.seal(account)
        let sealedSecret = try vault.seal(secret)
        let meta = try Self.metaText(fields.meta ?? [])
        do {
            return try await database.transaction { db in
                if try await db.raw(
                    "SELECT id FROM provider_configurations WHERE org_id = \(bind: orgID) AND account_hash = \(bind: accountHash)"
                ).first() != nil {
                    throw StoreError.duplicate("A configuration for this provider account already exists.")
                }
                let id = try await db.raw(
                    """
                    INSERT INTO provider_configurations (org_id, provider_id, name, account_hash, account_sealed,
                        account_last4, secret_sealed, secret_last4, base_url, sip_url, meta_json, active, created_at,
                        updated_at)
                    VALUES (\(bind: orgID), \(bind: provider.id), \(bind: name), \(bind: accountHash),
                        \(bind: sealedAccount), \(bind: Self.last4(account)), \(bind: sealedSecret),
                        \(bind: Self.last4(secret)), \(bind: fields.baseURL ?? nil), \(bind: fields.sipURL ?? nil),
                        \(bind: meta), \(bind: fields.active ?? true), \(bind: now), \(bind: now))
                    RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int.self)
                let created = try await Self.configuration(db, id: id, orgID: orgID)!
                try await auditConfiguration(db, "provider_configuration.created", created, orgID: orgID, by: actor)
                return created
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("A configuration for this provider account already exists.")
        }
    }

    /// CFG-4: changes what `fields` names, keeps the rest.
    public func updateProviderConfiguration(
        _ id: Int, orgID: Int, fields: ProviderConfigurationFields, actor: AuditActor
    ) async throws -> ProviderConfiguration {
        let now = clock.now().millis
        do {
            return try await database.transaction { db in
                guard let current = try await Self.configuration(db, id: id, orgID: orgID) else {
                    throw StoreError.notFound("Provider configuration not found.")
                }
                var changes: [SQLQueryString] = ["updated_at = \(bind: now)"]
                var changed: [String] = []
                if let name = fields.name { changes.append("name = \(bind: name)"); changed.append("name") }
                if let account = fields.account {
                    changes.append("account_hash = \(bind: accountHash(providerID: current.provider, account: account))")
                    changes.append("account_sealed = \(bind: try vault.seal(account))")
                    changes.append("account_last4 = \(bind: Self.last4(account))")
                    changed.append("account")
                }
                if let secret = fields.secret {
                    changes.append("secret_sealed = \(bind: try vault.seal(secret))")
                    changes.append("secret_last4 = \(bind: Self.last4(secret))")
                    changed.append("secret")
                }
                if let baseURL = fields.baseURL { changes.append("base_url = \(bind: baseURL)"); changed.append("base_url") }
                if let sipURL = fields.sipURL { changes.append("sip_url = \(bind: sipURL)"); changed.append("sip_url") }
                if let meta = fields.meta {
                    changes.append("meta_json = \(bind: try Self.metaText(meta))")
                    changed.append("meta_json")
                }
                if let active = fields.active { changes.append("active = \(bind: active)"); changed.append("active") }
                var assignments = changes[0]
                for change in changes.dropFirst() { assignments = assignments + ", " + change }
                try await db.raw(
                    "UPDATE provider_configurations SET " + assignments + " WHERE id = \(bind: id) AND org_id = \(bind: orgID)"
                ).run()
                let updated = try await Self.configuration(db, id: id, orgID: orgID)!
                try await auditConfiguration(
                    db, "provider_configuration.updated", updated, orgID: orgID,
                    details: ["changed": changed.joined(separator: ",")], by: actor)
                return updated
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("A configuration for this provider account already exists.")
        }
    }

    /// CFG-5.
    public func deleteProviderConfiguration(_ id: Int, orgID: Int, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let current = try await Self.configuration(db, id: id, orgID: orgID) else {
                throw StoreError.notFound("Provider configuration not found.")
            }
            if try await db.raw("SELECT id FROM bridges WHERE provider_configuration_id = \(bind: id)").first() != nil {
                throw StoreError.duplicate("A bridge uses this provider configuration; disconnect it first.")
            }
            try await db.raw("DELETE FROM provider_configurations WHERE id = \(bind: id) AND org_id = \(bind: orgID)").run()
            try await auditConfiguration(db, "provider_configuration.deleted", current, orgID: orgID, by: actor)
        }
    }

    private func auditConfiguration(
        _ db: any SQLDatabase, _ action: String, _ configuration: ProviderConfiguration, orgID: Int,
        details: [String: String] = [:], by actor: AuditActor
    ) async throws {
        var details = details
        details["provider"] = configuration.providerSlug
        details["name"] = configuration.name
        try await audit(
            db,
            AuditRecord(
                action: action, targetType: "provider_configuration", targetID: String(configuration.id), orgID: orgID,
                orgHandle: configuration.orgHandle, details: details),
            by: actor)
    }

    /// The same provider account maps to the same hash, so the database can refuse a second one.
    private func accountHash(providerID: Int, account: String) -> String {
        vault.lookupHash(of: "provider-account:\(providerID):\(account)").hex
    }

    private static let configurationSource =
        "provider_configurations c JOIN providers p ON p.id = c.provider_id JOIN organizations o ON o.id = c.org_id"

    private static let configurationColumns = """
        c.id, c.name, c.account_last4, c.secret_last4, c.base_url, c.sip_url, c.meta_json, c.active,
               c.created_at, c.updated_at, o.domain_handle, p.id AS provider_id, p.slug, p.name AS provider_name,
               p.description, p.icon, p.type
        """

    private static func configuration(_ db: any SQLDatabase, id: Int, orgID: Int) async throws -> ProviderConfiguration? {
        try await db.raw(
            "SELECT " + SQLQueryString(configurationColumns) + " FROM " + SQLQueryString(configurationSource)
                + " WHERE c.id = \(bind: id) AND c.org_id = \(bind: orgID)"
        ).first().map(configuration(from:))
    }

    static func configuration(from row: any SQLRow) throws -> ProviderConfiguration {
        let metaText = try row.decode(column: "meta_json", as: String.self)
        let meta = (try? JSONDecoder().decode([ProviderConfiguration.MetaEntry].self, from: Data(metaText.utf8))) ?? []
        let provider = Provider(
            id: try row.decode(column: "provider_id", as: Int.self),
            name: try row.decode(column: "provider_name", as: String.self),
            slug: try row.decode(column: "slug", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            icon: try row.decode(column: "icon", as: String.self),
            type: try row.decode(column: "type", as: String.self))
        return ProviderConfiguration(
            id: try row.decode(column: "id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            provider: provider,
            orgHandle: try row.decode(column: "domain_handle", as: String.self),
            maskedAccount: ProviderConfiguration.mask(last4: try row.decode(column: "account_last4", as: String.self)),
            maskedSecret: ProviderConfiguration.mask(last4: try row.decode(column: "secret_last4", as: String.self)),
            baseUrl: try row.decode(column: "base_url", as: String?.self),
            sipUrl: try row.decode(column: "sip_url", as: String?.self),
            metaJson: meta,
            active: try row.decode(column: "active", as: Bool.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(millis: try row.decode(column: "updated_at", as: Int64.self)))
    }

    static func provider(from row: any SQLRow) throws -> Provider {
        Provider(
            id: try row.decode(column: "id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            slug: try row.decode(column: "slug", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            icon: try row.decode(column: "icon", as: String.self),
            type: try row.decode(column: "type", as: String.self))
    }

    /// The last four characters of a credential, shown masked; nothing of one shorter than 12.
    static func last4(_ value: String) -> String {
        value.count >= 12 ? String(value.suffix(4)) : ""
    }

    private static func metaText(_ meta: [ProviderConfiguration.MetaEntry]) throws -> String {
        String(decoding: try JSONEncoder.sortedKeys.encode(meta), as: UTF8.self)
    }
}
