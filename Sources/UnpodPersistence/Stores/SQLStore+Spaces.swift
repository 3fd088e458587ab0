import Foundation
import SQLKit
import UnpodCore

/// A space row: its organization and row id, for the endpoints addressed by token.
public struct SpaceRecord: Sendable, Equatable {
    public var rowID: Int
    public var orgID: Int
    public var space: Space
}

extension SQLStore {
    /// A new space with a random public token (the `space_token` of the API's paths).
    public func createSpace(
        orgID: Int, name: String, description: String = "", contentType: String, agentHandle: String?, actor: AuditActor
    ) async throws -> Space {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...200).contains(name.count) else { throw StoreError.invalidState("a space name is 1 to 200 characters") }
        guard (1...40).contains(contentType.count) else { throw StoreError.invalidState("a content type is 1 to 40 characters") }
        var generator = SystemRandomNumberGenerator()
        let token = Base62.random(count: 24, using: &generator)
        let slug = Self.derivedSlug(name)
        let now = clock.now().millis
        return try await database.transaction { db in
            var agentID: Int?
            if let agentHandle { agentID = try await Self.agentRowID(db, orgID: orgID, handle: agentHandle) }
            try await db.raw(
                """
                INSERT INTO spaces (org_id, token, name, slug, description, privacy_type, space_type, content_type, agent_id,
                                    created_at)
                VALUES (\(bind: orgID), \(bind: token), \(bind: name), \(bind: slug), \(bind: description), 'shared', 'general',
                        \(bind: contentType), \(bind: agentID), \(bind: now))
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "space.created", targetType: "space", targetID: token, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: ["name": name, "content_type": contentType]),
                by: actor)
            return try await Self.spaceRecord(db, condition: "s.token = \(bind: token)")!.space
        }
    }

    /// SPC-1: the organization's spaces that are not archived, oldest first.
    public func spaces(orgID: Int, page: Int, pageSize: Int) async throws -> Page<Space> {
        try await self.page(
            of: Self.spaceJoins, columns: Self.spaceColumns, where: "s.org_id = \(bind: orgID) AND s.archived_at IS NULL",
            orderBy: "s.id", page: page, pageSize: pageSize, decode: { try Self.space(from: $0) })
    }

    /// The space with this token, in whichever organization; nil when archived.
    public func space(token: String) async throws -> SpaceRecord? {
        guard (1...64).contains(token.utf8.count) else { return nil }
        return try await database.withConnection { db in
            try await Self.spaceRecord(db, condition: "s.token = \(bind: token) AND s.archived_at IS NULL")
        }
    }

    /// Archives a space: it disappears from the API; its runs and tasks stay for analytics.
    public func archiveSpace(orgID: Int, token: String, actor: AuditActor) async throws {
        try await database.transaction { db in
            guard
                try await db.raw(
                    "SELECT id FROM spaces WHERE org_id = \(bind: orgID) AND token = \(bind: token) AND archived_at IS NULL"
                ).first() != nil
            else { throw StoreError.notFound("Space not found.") }
            try await db.raw("UPDATE spaces SET archived_at = \(bind: clock.now().millis) WHERE token = \(bind: token)").run()
            try await audit(
                db,
                AuditRecord(
                    action: "space.archived", targetType: "space", targetID: token, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID)),
                by: actor)
        }
    }

    /// Edits a space's name, description, content type or agent (what is nil stays; an empty
    /// agent handle takes the agent away).
    public func updateSpace(
        orgID: Int, token: String, name: String?, description: String?, contentType: String?, agentHandle: String?,
        actor: AuditActor
    ) async throws -> Space {
        let name = name?.trimmingCharacters(in: .whitespaces)
        if let name, !(1...200).contains(name.count) { throw StoreError.invalidState("a space name is 1 to 200 characters") }
        if let contentType, !(1...40).contains(contentType.count) {
            throw StoreError.invalidState("a content type is 1 to 40 characters")
        }
        return try await database.transaction { db in
            guard var current = try await Self.spaceRecord(db, condition: "s.token = \(bind: token) AND s.archived_at IS NULL"),
                current.orgID == orgID
            else { throw StoreError.notFound("Space not found.") }
            var details: [String: String] = [:]
            var agentID: Int? = try await db.raw("SELECT agent_id FROM spaces WHERE id = \(bind: current.rowID)").first()!
                .decode(column: "agent_id", as: Int?.self)
            if let agentHandle {
                if agentHandle.isEmpty {
                    agentID = nil
                } else {
                    agentID = try await Self.agentRowID(db, orgID: orgID, handle: agentHandle)
                }
                details["agent"] = agentHandle
            }
            if let name { (current.space.name, details["name"]) = (name, name) }
            if let description { (current.space.description, details["description"]) = (description, description) }
            if let contentType { (current.space.contentType, details["content_type"]) = (contentType, contentType) }
            try await db.raw(
                """
                UPDATE spaces SET name = \(bind: current.space.name), description = \(bind: current.space.description),
                                  content_type = \(bind: current.space.contentType), agent_id = \(bind: agentID)
                WHERE id = \(bind: current.rowID)
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "space.updated", targetType: "space", targetID: token, orgID: orgID,
                    orgHandle: current.space.organization.domainHandle, details: details),
                by: actor)
            return try await Self.spaceRecord(db, condition: "s.id = \(bind: current.rowID)")!.space
        }
    }

    private static let spaceJoins =
        "spaces s JOIN organizations o ON o.id = s.org_id LEFT JOIN agents a ON a.id = s.agent_id"
    private static let spaceColumns =
        "s.id, s.org_id, s.token, s.name, s.slug, s.description, s.logo, s.privacy_type, s.space_type, s.content_type, "
        + "s.created_at, o.name AS org_name, o.domain_handle, a.handle AS agent_handle"

    /// The row id of the organization's agent with this handle (a space's `agent_id`), or not found.
    private static func agentRowID(_ db: any SQLDatabase, orgID: Int, handle: String) async throws -> Int {
        guard let row = try await db.raw("SELECT id FROM agents WHERE org_id = \(bind: orgID) AND handle = \(bind: handle)").first()
        else { throw StoreError.notFound("no agent \(handle) in this organization") }
        return try row.decode(column: "id", as: Int.self)
    }

    private static func spaceRecord(_ db: any SQLDatabase, condition: SQLQueryString) async throws -> SpaceRecord? {
        try await db.raw("SELECT " + SQLQueryString(spaceColumns) + " FROM " + SQLQueryString(spaceJoins) + " WHERE " + condition)
            .first().map { row in
                SpaceRecord(
                    rowID: try row.decode(column: "id", as: Int.self), orgID: try row.decode(column: "org_id", as: Int.self),
                    space: try space(from: row))
            }
    }

    private static func space(from row: any SQLRow) throws -> Space {
        Space(
            id: "sp_\(try row.decode(column: "id", as: Int.self))", name: try row.decode(column: "name", as: String.self),
            slug: try row.decode(column: "slug", as: String.self), token: try row.decode(column: "token", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            logo: try row.decode(column: "logo", as: String?.self),
            privacyType: try row.decode(column: "privacy_type", as: String.self),
            spaceType: try row.decode(column: "space_type", as: String.self),
            contentType: try row.decode(column: "content_type", as: String.self),
            organization: Space.Organization(
                name: try row.decode(column: "org_name", as: String.self),
                domainHandle: try row.decode(column: "domain_handle", as: String.self)),
            agentHandle: try row.decode(column: "agent_handle", as: String?.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)))
    }
}
