import Foundation
import SQLKit
import UnpodCore

/// Why a bridge change was refused; the controller words it per endpoint.
public enum BridgeChangeError: Error, Equatable, Sendable {
    case invalid(String)
}

extension SQLStore {
    /// BRG-1: a new `DRAFT` bridge; the slug is derived from the name plus 8 random letters when
    /// not given, and unique within the organization (a duplicate is a conflict).
    public func createBridge(
        orgID: Int, name: String, slug: String?, description: String, region: String?, actor: AuditActor
    ) async throws -> Bridge {
        let now = clock.now().millis
        let slug = slug ?? Self.derivedSlug(name)
        do {
            return try await database.transaction { db in
                if try await db.raw("SELECT id FROM bridges WHERE org_id = \(bind: orgID) AND slug = \(bind: slug)").first() != nil {
                    throw StoreError.duplicate("Slug already exists")
                }
                try await db.raw(
                    """
                    INSERT INTO bridges (org_id, slug, name, description, status, region, created_at, updated_at)
                    VALUES (\(bind: orgID), \(bind: slug), \(bind: name), \(bind: description), 'DRAFT', \(bind: region),
                            \(bind: now), \(bind: now))
                    """
                ).run()
                let bridge = try await Self.bridge(db, slug: slug, orgID: orgID)!
                try await auditBridge(db, "bridge.created", bridge, by: actor)
                return bridge
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("Slug already exists")
        }
    }

    /// BRG-2: the organization's bridges, by id, with their numbers and provider. Three queries
    /// whatever the page size (count, the page with its joins, all of the page's numbers), since
    /// this is a list integrations poll.
    public func bridges(orgID: Int, page: Int, pageSize: Int) async throws -> Page<Bridge> {
        let rows = try await self.page(
            of: Self.bridgeJoins, columns: Self.bridgeColumns, where: "b.org_id = \(bind: orgID)", orderBy: "b.id",
            page: page, pageSize: pageSize, decode: { $0 })
        guard !rows.items.isEmpty else { return Page(count: rows.count, items: []) }
        let ids = try rows.items.map { try $0.decode(column: "id", as: Int.self) }
        let numbers = try await database.withConnection { db in
            try await Self.bridgeNumbers(db, bridgeIDs: ids, orgID: orgID)
        }
        let items = try rows.items.map { row in
            try Self.bridge(from: row, orgID: orgID, numbers: numbers[try row.decode(column: "id", as: Int.self)] ?? [])
        }
        return Page(count: rows.count, items: items)
    }

    /// BRG-3.
    public func bridge(_ slug: String, orgID: Int) async throws -> Bridge? {
        try await database.withConnection { db in try await Self.bridge(db, slug: slug, orgID: orgID) }
    }

    /// BRG-4: `ACTIVE` needs a connected provider and at least one number (decisions.md section 4).
    public func updateBridge(
        _ slug: String, orgID: Int, name: String?, description: String?, status: Bridge.Status?, actor: AuditActor
    ) async throws -> Bridge {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard let bridge = try await Self.bridge(db, slug: slug, orgID: orgID) else {
                throw StoreError.notFound("Bridge not found.")
            }
            if status == .ACTIVE, bridge.provider == nil || bridge.numbers.isEmpty {
                throw BridgeChangeError.invalid("A bridge becomes ACTIVE with a connected provider and at least one number")
            }
            try await db.raw(
                """
                UPDATE bridges SET name = \(bind: name ?? bridge.name), description = \(bind: description ?? bridge.description),
                    status = \(bind: (status ?? bridge.status).rawValue), updated_at = \(bind: now)
                WHERE id = \(bind: bridge.id)
                """
            ).run()
            let updated = try await Self.bridge(db, slug: slug, orgID: orgID)!
            var details: [String: String] = [:]
            if let status { details["status"] = status.rawValue }
            try await auditBridge(db, "bridge.updated", updated, details: details, by: actor)
            return updated
        }
    }

    /// BRG-5: in one transaction, the bridge's numbers are released and its provider link goes with it.
    public func deleteBridge(_ slug: String, orgID: Int, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let bridge = try await Self.bridge(db, slug: slug, orgID: orgID) else {
                throw StoreError.notFound("Bridge not found.")
            }
            try await Self.releaseFromBridge(db, where: "bridge_id = \(bind: bridge.id) AND org_id = \(bind: orgID)")
            try await db.raw("DELETE FROM bridges WHERE id = \(bind: bridge.id)").run()
            try await auditBridge(db, "bridge.deleted", bridge, by: actor)
        }
    }

    /// BRG-6: links a provider configuration of the organization to the bridge (one at a time)
    /// and, in variant B, puts the phone number (of that provider) on the bridge.
    public func connectProvider(
        _ slug: String, orgID: Int, configurationID: Int, phoneNumber: String?, actor: AuditActor
    ) async throws -> Bridge {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard let bridge = try await Self.bridge(db, slug: slug, orgID: orgID) else {
                throw StoreError.notFound("Bridge not found.")
            }
            guard
                let configuration = try await db.raw(
                    "SELECT id, provider_id, active FROM provider_configurations WHERE id = \(bind: configurationID) AND org_id = \(bind: orgID)"
                ).first(), try configuration.decode(column: "active", as: Bool.self)
            else { throw BridgeChangeError.invalid("Provider configuration not found or inactive") }
            if let connected = bridge.providerCredential?.id, connected != configurationID {
                throw BridgeChangeError.invalid("Another provider is connected to this bridge; disconnect it first")
            }
            if let phoneNumber {
                guard PhoneNumber.isE164(phoneNumber),
                    let number = try await db.raw(
                        "SELECT id, provider_id, bridge_id FROM numbers WHERE number = \(bind: phoneNumber) AND org_id = \(bind: orgID)"
                    ).first(),
                    try number.decode(column: "provider_id", as: Int.self) == configuration.decode(column: "provider_id", as: Int.self)
                else { throw BridgeChangeError.invalid("Provider configuration not found or phone number invalid") }
                if let other = try number.decode(column: "bridge_id", as: Int?.self), other != bridge.id {
                    throw BridgeChangeError.invalid("The number is on another bridge; disconnect it there first")
                }
                try await db.raw(
                    "UPDATE numbers SET bridge_id = \(bind: bridge.id) WHERE id = \(bind: try number.decode(column: "id", as: Int.self))"
                ).run()
            }
            try await db.raw(
                "UPDATE bridges SET provider_configuration_id = \(bind: configurationID), updated_at = \(bind: now) WHERE id = \(bind: bridge.id)"
            ).run()
            let updated = try await Self.bridge(db, slug: slug, orgID: orgID)!
            try await auditBridge(
                db, "bridge.provider_connected", updated,
                details: ["provider_configuration_id": String(configurationID), "phone_number": phoneNumber ?? ""], by: actor)
            return updated
        }
    }

    /// BRG-7: variant B takes one number off the bridge; variant A unlinks the provider.
    public func disconnectProvider(
        _ slug: String, orgID: Int, configurationID: Int?, phoneNumber: String?, actor: AuditActor
    ) async throws -> Bridge {
        let now = clock.now().millis
        return try await database.transaction { db in
            guard let bridge = try await Self.bridge(db, slug: slug, orgID: orgID) else {
                throw StoreError.notFound("Bridge not found.")
            }
            if let phoneNumber {
                guard bridge.numbers.contains(where: { $0.number == phoneNumber }) else {
                    throw BridgeChangeError.invalid("Phone number is not connected to this bridge")
                }
                try await Self.releaseFromBridge(db, where: "number = \(bind: phoneNumber) AND org_id = \(bind: orgID)")
            } else {
                guard let connected = bridge.providerCredential?.id, connected == configurationID else {
                    throw BridgeChangeError.invalid("Provider is not connected to this bridge")
                }
                // Without a provider an active bridge cannot carry calls: it goes back to DRAFT.
                try await db.raw(
                    """
                    UPDATE bridges SET provider_configuration_id = NULL, updated_at = \(bind: now),
                        status = CASE WHEN status = 'ACTIVE' THEN 'DRAFT' ELSE status END
                    WHERE id = \(bind: bridge.id)
                    """
                ).run()
            }
            let updated = try await Self.bridge(db, slug: slug, orgID: orgID)!
            try await auditBridge(
                db, "bridge.provider_disconnected", updated, details: ["phone_number": phoneNumber ?? ""], by: actor)
            return updated
        }
    }

    private func auditBridge(
        _ db: any SQLDatabase, _ action: String, _ bridge: Bridge, details: [String: String] = [:], by actor: AuditActor
    ) async throws {
        try await audit(
            db,
            AuditRecord(
                action: action, targetType: "bridge", targetID: bridge.slug, orgID: bridge.organization.id,
                orgHandle: bridge.organization.domainHandle, details: details.merging(["name": bridge.name]) { $1 }),
            by: actor)
    }

    static let bridgeColumns = """
        b.*, o.name AS org_name, o.domain_handle, o.created_at AS org_created_at,
        c.name AS config_name, c.active AS config_active, p.id AS provider_id, p.slug AS provider_slug,
        p.name AS provider_name, p.type AS provider_type
        """
    static let bridgeJoins = """
        bridges b JOIN organizations o ON o.id = b.org_id
        LEFT JOIN provider_configurations c ON c.id = b.provider_configuration_id
        LEFT JOIN providers p ON p.id = c.provider_id
        """

    static func bridge(_ db: any SQLDatabase, slug: String, orgID: Int) async throws -> Bridge? {
        guard
            let row = try await db.raw(
                "SELECT " + SQLQueryString(bridgeColumns) + " FROM " + SQLQueryString(bridgeJoins)
                    + " WHERE b.org_id = \(bind: orgID) AND b.slug = \(bind: slug)"
            ).first()
        else { return nil }
        let id = try row.decode(column: "id", as: Int.self)
        return try bridge(from: row, orgID: orgID, numbers: try await bridgeNumbers(db, bridgeIDs: [id], orgID: orgID)[id] ?? [])
    }

    /// The numbers on each of the bridges, by bridge id, in number id order.
    static func bridgeNumbers(_ db: any SQLDatabase, bridgeIDs: [Int], orgID: Int) async throws -> [Int: [Bridge.Number]] {
        let rows = try await db.raw(
            """
            SELECT id, bridge_id, number, active FROM numbers
            WHERE org_id = \(bind: orgID) AND bridge_id IN (\(binds: bridgeIDs)) ORDER BY id
            """
        ).all()
        var numbers: [Int: [Bridge.Number]] = [:]
        for row in rows {
            numbers[try row.decode(column: "bridge_id", as: Int.self), default: []].append(
                Bridge.Number(
                    numberId: try row.decode(column: "id", as: Int.self), number: try row.decode(column: "number", as: String.self),
                    active: try row.decode(column: "active", as: Bool.self)))
        }
        return numbers
    }

    static func bridge(from row: any SQLRow, orgID: Int, numbers: [Bridge.Number]) throws -> Bridge {
        let credential: Bridge.ProviderCredential? =
            if let configurationID = try row.decode(column: "provider_configuration_id", as: Int?.self) {
                Bridge.ProviderCredential(
                    id: configurationID, name: try row.decode(column: "config_name", as: String.self),
                    providerID: try row.decode(column: "provider_id", as: Int.self),
                    providerName: try row.decode(column: "provider_name", as: String.self),
                    providerType: try row.decode(column: "provider_type", as: String.self),
                    active: try row.decode(column: "config_active", as: Bool.self))
            } else { nil }
        return Bridge(
            id: try row.decode(column: "id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            slug: try row.decode(column: "slug", as: String.self),
            description: try row.decode(column: "description", as: String?.self) ?? "",
            status: Bridge.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .DRAFT,
            region: try row.decode(column: "region", as: String?.self),
            numbers: numbers,
            provider: try row.decode(column: "provider_slug", as: String?.self),
            providerCredential: credential,
            organization: OrganizationSummary(
                id: orgID, name: try row.decode(column: "org_name", as: String.self),
                domainHandle: try row.decode(column: "domain_handle", as: String.self),
                createdAt: Date(millis: try row.decode(column: "org_created_at", as: Int64.self))),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(millis: try row.decode(column: "updated_at", as: Int64.self)))
    }

    /// `Support Line` → `support-line-kqzwmtrb`.
    static func derivedSlug(_ name: String) -> String {
        let words = name.lowercased().unicodeScalars.map { ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "-" }
        let base = String(words).split(separator: "-").joined(separator: "-").prefix(40)
        let suffix = String((0..<8).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
        return base.isEmpty ? "bridge-\(suffix)" : "\(base)-\(suffix)"
    }
}
