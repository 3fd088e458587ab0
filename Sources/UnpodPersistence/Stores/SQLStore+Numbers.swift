import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// Provisions numbers for an organization (the operator's `unpod numbers add`): all of them, or
    /// none when one is malformed or already provisioned anywhere.
    public func addNumbers(_ numbers: [String], orgID: Int, provider: Provider, actor: AuditActor = .cli)
        async throws -> [PhoneNumber]
    {
        guard !numbers.isEmpty else { throw StoreError.invalidState("name at least one number") }
        for number in numbers where !PhoneNumber.isE164(number) {
            throw StoreError.invalidState("\(number) is not an E.164 number such as +14155551234")
        }
        guard Set(numbers).count == numbers.count else { throw StoreError.invalidState("a number is named twice") }
        let now = clock.now().millis
        do {
            return try await database.transaction { db in
                let handle = try await Self.handle(db, orgID: orgID)
                var added: [PhoneNumber] = []
                for number in numbers {
                    if try await db.raw("SELECT id FROM numbers WHERE number = \(bind: number)").first() != nil {
                        throw StoreError.duplicate("\(number) is already provisioned")
                    }
                    let id = try await db.raw(
                        """
                        INSERT INTO numbers (org_id, number, provider_id, connection_state, active, created_at)
                        VALUES (\(bind: orgID), \(bind: number), \(bind: provider.id), 'NOT_LINKED', \(bind: true), \(bind: now))
                        RETURNING id
                        """
                    ).first()!.decode(column: "id", as: Int.self)
                    try await audit(
                        db,
                        AuditRecord(
                            action: "number.added", targetType: "number", targetID: number, orgID: orgID, orgHandle: handle,
                            details: ["provider": provider.slug]),
                        by: actor)
                    added.append(try await Self.number(db, id: id, orgID: orgID)!)
                }
                return added
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("a number is already provisioned")
        }
    }

    /// Releases numbers from an organization: off their bridge and trunk, and gone from its list.
    /// All of them, or none when one is not the organization's.
    public func releaseNumbers(_ numbers: [String], orgID: Int, actor: AuditActor = .cli) async throws {
        try await database.transaction { db in
            let handle = try await Self.handle(db, orgID: orgID)
            for number in numbers {
                guard
                    try await db.raw("SELECT id FROM numbers WHERE number = \(bind: number) AND org_id = \(bind: orgID)")
                        .first() != nil
                else { throw StoreError.notFound("\(number) is not a number of this organization") }
                try await db.raw("DELETE FROM numbers WHERE number = \(bind: number) AND org_id = \(bind: orgID)").run()
                try await audit(
                    db,
                    AuditRecord(action: "number.released", targetType: "number", targetID: number, orgID: orgID, orgHandle: handle),
                    by: actor)
            }
        }
    }

    /// NUM-1: the organization's numbers, by id. Another organization's are never included.
    public func numbers(orgID: Int, includeAssigned: Bool = true, page: Int, pageSize: Int) async throws
        -> Page<PhoneNumber>
    {
        var conditions: SQLQueryString = "n.org_id = \(bind: orgID)"
        if !includeAssigned {
            conditions = conditions + " AND n.bridge_id IS NULL AND n.trunk_id IS NULL AND n.agent_id IS NULL"
        }
        return try await self.page(
            of: Self.numberSource, columns: Self.numberColumns, where: conditions, orderBy: "n.id",
            page: page, pageSize: pageSize, decode: Self.number(from:))
    }

    static let numberSource =
        "numbers n JOIN providers p ON p.id = n.provider_id LEFT JOIN bridges b ON b.id = n.bridge_id"
    static let numberColumns =
        "n.id, n.number, p.slug AS provider, b.slug AS bridge_slug, n.trunk_id, n.agent_id, n.active, n.connection_state, n.created_at"

    static func number(_ db: any SQLDatabase, id: Int, orgID: Int) async throws -> PhoneNumber? {
        try await db.raw(
            "SELECT " + SQLQueryString(numberColumns) + " FROM " + SQLQueryString(numberSource)
                + " WHERE n.id = \(bind: id) AND n.org_id = \(bind: orgID)"
        ).first().map(number(from:))
    }

    static func number(from row: any SQLRow) throws -> PhoneNumber {
        PhoneNumber(
            id: try row.decode(column: "id", as: Int.self),
            number: try row.decode(column: "number", as: String.self),
            provider: try row.decode(column: "provider", as: String.self),
            bridgeSlug: try row.decode(column: "bridge_slug", as: String?.self),
            trunkId: try row.decode(column: "trunk_id", as: Int?.self),
            agentId: try row.decode(column: "agent_id", as: String?.self),
            active: try row.decode(column: "active", as: Bool.self),
            connectionState: try row.decode(column: "connection_state", as: String.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
    }
}

extension SQLStore {
    /// A number of the organization by its id or its E.164 (the SDK's legacy numbers name both).
    public func number(orgID: Int, reference: String) async throws -> PhoneNumber? {
        let condition: SQLQueryString
        if reference.allSatisfy(\.isASCII), reference.allSatisfy(\.isNumber), let id = Int(reference) {
            condition = "n.id = \(bind: id)"
        } else if PhoneNumber.isE164(reference) {
            condition = "n.number = \(bind: reference)"
        } else {
            return nil
        }
        return try await database.withConnection { db in
            try await db.raw(
                "SELECT " + SQLQueryString(Self.numberColumns) + " FROM " + SQLQueryString(Self.numberSource)
                    + " WHERE n.org_id = \(bind: orgID) AND " + condition
            ).first().map(Self.number(from:))
        }
    }

    /// Moves an attached number to another agent in one statement (its bridge stays); false when
    /// the number is not attached (the SDK's 409 `not_attached`).
    public func moveNumber(_ number: String, orgID: Int, toAgent agent: String, actor: AuditActor) async throws -> Bool {
        try await database.transaction { db in
            let moved = try await db.raw(
                """
                UPDATE numbers SET agent_id = \(bind: agent), pipe_id = NULL, termination_kind = 'agent'
                WHERE number = \(bind: number) AND org_id = \(bind: orgID) AND bridge_id IS NOT NULL RETURNING id
                """
            ).first() != nil
            if moved {
                try await audit(
                    db,
                    AuditRecord(
                        action: "number.attached", targetType: "number", targetID: number, orgID: orgID,
                        orgHandle: try await Self.handle(db, orgID: orgID), details: ["agent_id": agent, "moved": "true"]),
                    by: actor)
            }
            return moved
        }
    }
}
