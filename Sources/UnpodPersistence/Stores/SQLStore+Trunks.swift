import Foundation
import SQLKit
import UnpodCore

/// What a new trunk holds (checked by the caller).
public struct TrunkFields: Sendable, Equatable {
    public var name: String
    public var sipURL: String
    public var transport: String
    public var port: String
    public var username: String?
    public var password: String?
    public var allowedIPs: [String]
    /// `byo` or `livekit` (see ``Trunk/kind``), and the management plane's extras.
    public var kind = "byo"
    public var providerTrunkID: String?
    public var provider: String?

    public init(
        name: String, sipURL: String, transport: String, port: String, username: String?, password: String?,
        allowedIPs: [String]
    ) {
        self.name = name
        self.sipURL = sipURL
        self.transport = transport
        self.port = port
        self.username = username
        self.password = password
        self.allowedIPs = allowedIPs
    }
}

extension SQLStore {
    /// TRK-1: the password is sealed; reads show it masked.
    public func createTrunk(orgID: Int, _ fields: TrunkFields, actor: AuditActor) async throws -> Trunk {
        let now = clock.now().millis
        let sealed = try fields.password.map(vault.seal)
        let last4 = fields.password.map(Self.last4)
        return try await database.transaction { db in
            let id = try await db.raw(
                """
                INSERT INTO trunks (org_id, name, sip_url, transport, port, auth_username, password_sealed,
                    password_last4, allowed_ips, active, created_at, kind, provider_trunk_id, byo_provider)
                VALUES (\(bind: orgID), \(bind: fields.name), \(bind: fields.sipURL), \(bind: fields.transport),
                    \(bind: fields.port), \(bind: fields.username), \(bind: sealed), \(bind: last4),
                    \(bind: fields.allowedIPs.joined(separator: ",")), \(bind: true), \(bind: now), \(bind: fields.kind),
                    \(bind: fields.providerTrunkID), \(bind: fields.provider))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int.self)
            let trunk = try await Self.trunk(db, id: id, orgID: orgID)!
            try await auditTrunk(db, "trunk.created", trunk, orgID: orgID, by: actor)
            return trunk
        }
    }

    /// TRK-2: the organization's trunks, by id, each with its numbers.
    public func trunks(orgID: Int, page: Int, pageSize: Int) async throws -> Page<Trunk> {
        let page = try await self.page(
            of: "trunks", where: "org_id = \(bind: orgID)", orderBy: "id", page: page, pageSize: pageSize,
            decode: { try Self.trunk(from: $0, numbers: []) })
        guard !page.items.isEmpty else { return page }
        let numbers = try await database.withConnection { db in
            try await db.raw(
                "SELECT trunk_id, number FROM numbers WHERE org_id = \(bind: orgID) AND trunk_id IS NOT NULL ORDER BY id"
            ).all().map { (try $0.decode(column: "trunk_id", as: Int.self), try $0.decode(column: "number", as: String.self)) }
        }
        var byTrunk: [Int: [String]] = [:]
        for (trunkID, number) in numbers { byTrunk[trunkID, default: []].append(number) }
        var result = page
        for index in result.items.indices { result.items[index].numbers = byTrunk[result.items[index].id] ?? [] }
        return result
    }

    /// TRK-3.
    public func trunk(_ id: Int, orgID: Int) async throws -> Trunk? {
        try await database.withConnection { db in try await Self.trunk(db, id: id, orgID: orgID) }
    }

    /// TRK-4: the trunk's numbers are released from it in the same transaction.
    public func deleteTrunk(_ id: Int, orgID: Int, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard let trunk = try await Self.trunk(db, id: id, orgID: orgID) else {
                throw StoreError.notFound("Trunk not found.")
            }
            try await db.raw("UPDATE numbers SET trunk_id = NULL WHERE trunk_id = \(bind: id) AND org_id = \(bind: orgID)").run()
            try await db.raw("DELETE FROM trunks WHERE id = \(bind: id) AND org_id = \(bind: orgID)").run()
            try await auditTrunk(db, "trunk.deleted", trunk, orgID: orgID, by: actor)
        }
    }

    /// TRK-5 and TRK-6: one result per number id, in order; partial success is allowed.
    public func setTrunk(
        _ trunkID: Int, attached: Bool, numberIDs: [Int], orgID: Int, actor: AuditActor
    ) async throws -> [NumberResult] {
        try await database.transaction { db in
            guard let trunk = try await Self.trunk(db, id: trunkID, orgID: orgID) else {
                throw StoreError.notFound("Trunk not found.")
            }
            var results: [NumberResult] = []
            for numberID in numberIDs {
                guard let number = try await Self.number(db, id: numberID, orgID: orgID) else {
                    results.append(NumberResult(numberId: numberID, number: nil, connectionState: nil, ok: false, error: "Number not found."))
                    continue
                }
                if attached, let other = number.trunkId, other != trunkID {
                    results.append(
                        NumberResult(
                            numberId: numberID, number: number.number, connectionState: number.connectionState, ok: false,
                            error: "The number is on another trunk; detach it there first."))
                    continue
                }
                if !attached, number.trunkId != trunkID {
                    results.append(
                        NumberResult(
                            numberId: numberID, number: number.number, connectionState: number.connectionState, ok: false,
                            error: "The number is not on this trunk."))
                    continue
                }
                let value: Int? = attached ? trunkID : nil
                try await db.raw("UPDATE numbers SET trunk_id = \(bind: value) WHERE id = \(bind: numberID) AND org_id = \(bind: orgID)").run()
                results.append(
                    NumberResult(numberId: numberID, number: number.number, connectionState: number.connectionState, ok: true, error: nil))
            }
            let changed = results.filter(\.ok).map { String($0.numberId) }
            if !changed.isEmpty {
                try await auditTrunk(
                    db, attached ? "trunk.numbers_attached" : "trunk.numbers_detached", trunk, orgID: orgID,
                    details: ["number_ids": changed.joined(separator: ",")], by: actor)
            }
            return results
        }
    }

    private func auditTrunk(
        _ db: any SQLDatabase, _ action: String, _ trunk: Trunk, orgID: Int, details: [String: String] = [:],
        by actor: AuditActor
    ) async throws {
        var details = details
        details["name"] = trunk.name
        try await audit(
            db,
            AuditRecord(
                action: action, targetType: "trunk", targetID: String(trunk.id), orgID: orgID,
                orgHandle: try await Self.handle(db, orgID: orgID), details: details),
            by: actor)
    }

    static func trunk(_ db: any SQLDatabase, id: Int, orgID: Int) async throws -> Trunk? {
        guard let row = try await db.raw("SELECT * FROM trunks WHERE id = \(bind: id) AND org_id = \(bind: orgID)").first()
        else { return nil }
        let numbers = try await db.raw(
            "SELECT number FROM numbers WHERE trunk_id = \(bind: id) AND org_id = \(bind: orgID) ORDER BY id"
        ).all().map { try $0.decode(column: "number", as: String.self) }
        return try trunk(from: row, numbers: numbers)
    }

    static func trunk(from row: any SQLRow, numbers: [String]) throws -> Trunk {
        let hasPassword = try row.decode(column: "password_sealed", as: String?.self) != nil
        var trunk = Trunk(
            id: try row.decode(column: "id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            sipUrl: try row.decode(column: "sip_url", as: String.self),
            transport: try row.decode(column: "transport", as: String.self),
            port: try row.decode(column: "port", as: String.self),
            authUsername: try row.decode(column: "auth_username", as: String?.self),
            authPassword: hasPassword
                ? ProviderConfiguration.mask(last4: try row.decode(column: "password_last4", as: String?.self) ?? "") : nil,
            allowedIps: try row.decode(column: "allowed_ips", as: String.self),
            active: try row.decode(column: "active", as: Bool.self),
            numbers: numbers,
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
        trunk.kind = try row.decode(column: "kind", as: String.self)
        trunk.providerTrunkID = try row.decode(column: "provider_trunk_id", as: String?.self)
        trunk.provider = try row.decode(column: "byo_provider", as: String?.self)
        return trunk
    }
}
