import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// Creates an organization with `ownerID` as its owner.
    /// Handles are domain-like (`acme`, `recalll.co`): lower-case letters, digits, dots and hyphens.
    public func createOrganization(name: String, handle: String, ownerID: Int, actor: AuditActor = .cli) async throws
        -> OrganizationSummary
    {
        let handle = handle.trimmingCharacters(in: .whitespaces).lowercased()
        let name = name.trimmingCharacters(in: .whitespaces)
        guard Self.isValidHandle(handle) else {
            throw StoreError.invalidState(
                "an organization handle is 1 to 100 lower-case letters, digits, dots and hyphens")
        }
        guard !name.isEmpty, name.count <= 200 else {
            throw StoreError.invalidState("an organization name is 1 to 200 characters")
        }
        let now = Date(millis: clock.now().millis)
        do {
            return try await database.transaction { db in
                if try await db.raw("SELECT id FROM organizations WHERE domain_handle = \(bind: handle)").first() != nil {
                    throw StoreError.duplicate("an organization with handle \(handle) exists")
                }
                guard try await db.raw("SELECT id FROM users WHERE id = \(bind: ownerID)").first() != nil else {
                    throw StoreError.notFound("no such user")
                }
                let id = try await db.raw(
                    """
                    INSERT INTO organizations (name, domain_handle, created_at)
                    VALUES (\(bind: name), \(bind: handle), \(bind: now.millis)) RETURNING id
                    """
                ).first()!.decode(column: "id", as: Int.self)
                try await Self.insertMembership(db, userID: ownerID, orgID: id, role: .owner, at: now)
                try await audit(
                    db,
                    AuditRecord(
                        action: "organization.created", targetType: "organization", targetID: handle, orgID: id,
                        orgHandle: handle, subjectUserID: ownerID,
                        details: ["name": name, "owner": try await Self.email(db, userID: ownerID)]),
                    by: actor)
                return OrganizationSummary(id: id, name: name, domainHandle: handle, createdAt: now)
            }
        } catch where isUniqueViolation(error) {
            throw StoreError.duplicate("an organization with handle \(handle) exists")
        }
    }

    /// Adds a user to an organization, or changes their role.
    public func setMembership(userID: Int, orgID: Int, role: Role, actor: AuditActor = .cli) async throws {
        let now = clock.now()
        try await database.transaction { db in
            let previous = try await Self.role(db, userID: userID, orgID: orgID)
            guard previous != role else { return }
            if previous == .owner { try await Self.requireAnotherOwner(db, besides: userID, orgID: orgID) }
            try await db.raw("DELETE FROM memberships WHERE user_id = \(bind: userID) AND org_id = \(bind: orgID)").run()
            try await Self.insertMembership(db, userID: userID, orgID: orgID, role: role, at: now)
            var details = ["role": role.rawValue]
            if let previous { details["previous_role"] = previous.rawValue }
            try await auditMembership(
                db, previous == nil ? "membership.added" : "membership.role_changed", userID: userID, orgID: orgID,
                details: details, by: actor)
        }
    }

    public func removeMembership(userID: Int, orgID: Int, actor: AuditActor = .cli) async throws {
        try await database.transaction { db in
            guard let previous = try await Self.role(db, userID: userID, orgID: orgID) else { return }
            if previous == .owner { try await Self.requireAnotherOwner(db, besides: userID, orgID: orgID) }
            try await db.raw("DELETE FROM memberships WHERE user_id = \(bind: userID) AND org_id = \(bind: orgID)").run()
            try await Self.bumpAuthEpoch(db)
            try await auditMembership(
                db, "membership.removed", userID: userID, orgID: orgID, details: ["previous_role": previous.rawValue],
                by: actor)
        }
    }

    /// An organization never loses its last owner: nobody could manage it any more.
    private static func requireAnotherOwner(_ db: any SQLDatabase, besides userID: Int, orgID: Int) async throws {
        let owners = try await db.raw(
            """
            SELECT COUNT(*) AS n FROM memberships
            WHERE org_id = \(bind: orgID) AND role = \(bind: Role.owner.rawValue) AND user_id <> \(bind: userID)
            """
        ).first()!.decode(column: "n", as: Int.self)
        guard owners > 0 else { throw StoreError.invalidState("an organization keeps at least one owner") }
    }

    /// An organization's members with their roles, by email.
    public func members(orgID: Int) async throws -> [Member] {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT u.id, u.email, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.org_id = \(bind: orgID) ORDER BY u.email
                """
            ).all().map { row in
                Member(
                    userID: try row.decode(column: "id", as: Int.self), email: try row.decode(column: "email", as: String.self),
                    role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .member,
                    since: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
            }
        }
    }

    private static func role(_ db: any SQLDatabase, userID: Int, orgID: Int) async throws -> Role? {
        try await db.raw("SELECT role FROM memberships WHERE user_id = \(bind: userID) AND org_id = \(bind: orgID)")
            .first().flatMap { Role(rawValue: try $0.decode(column: "role", as: String.self)) }
    }

    private func auditMembership(
        _ db: any SQLDatabase, _ action: String, userID: Int, orgID: Int, details: [String: String], by actor: AuditActor
    ) async throws {
        let handle = try await Self.handle(db, orgID: orgID)
        try await audit(
            db,
            AuditRecord(
                action: action, targetType: "membership", targetID: try await Self.email(db, userID: userID),
                orgID: orgID, orgHandle: handle, subjectUserID: userID, details: details),
            by: actor)
    }

    static func handle(_ db: any SQLDatabase, orgID: Int) async throws -> String {
        guard let row = try await db.raw("SELECT domain_handle FROM organizations WHERE id = \(bind: orgID)").first() else {
            throw StoreError.notFound("no such organization")
        }
        return try row.decode(column: "domain_handle", as: String.self)
    }

    public func organization(handle: String) async throws -> OrganizationSummary? {
        try await database.withConnection { db in
            try await db.raw(
                "SELECT id, name, domain_handle, created_at FROM organizations WHERE domain_handle = \(bind: handle)"
            ).first().map(Self.organization(from:))
        }
    }

    /// The organizations a user belongs to, with their role, ordered by id.
    public func memberships(userID: Int) async throws -> [Membership] {
        try await database.withConnection { db in
            try await Self.memberships(db, userID: userID)
        }
    }

    static func memberships(_ db: any SQLDatabase, userID: Int) async throws -> [Membership] {
        try await db.raw(
            """
            SELECT o.id, o.name, o.domain_handle, o.created_at, m.role
            FROM memberships m JOIN organizations o ON o.id = m.org_id
            WHERE m.user_id = \(bind: userID) ORDER BY o.id
            """
        ).all().map { row in
            Membership(
                organization: try organization(from: row),
                role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .member)
        }
    }

    static func insertMembership(_ db: any SQLDatabase, userID: Int, orgID: Int, role: Role, at now: Date) async throws {
        try await db.raw(
            """
            INSERT INTO memberships (user_id, org_id, role, created_at)
            VALUES (\(bind: userID), \(bind: orgID), \(bind: role.rawValue), \(bind: now.millis))
            """
        ).run()
        try await bumpAuthEpoch(db)
    }

    static func organization(from row: any SQLRow) throws -> OrganizationSummary {
        OrganizationSummary(
            id: try row.decode(column: "id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            domainHandle: try row.decode(column: "domain_handle", as: String.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
    }

    static func isValidHandle(_ handle: String) -> Bool {
        guard (1...100).contains(handle.utf8.count), let first = handle.utf8.first, let last = handle.utf8.last
        else { return false }
        func isAlphanumeric(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte) }
        return isAlphanumeric(first) && isAlphanumeric(last)
            && handle.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }
}
