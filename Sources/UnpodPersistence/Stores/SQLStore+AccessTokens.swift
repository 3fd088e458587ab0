import Foundation
import SQLKit
import UnpodCore

/// An API key as the room server needs it: who it acts for, where, until when, and its secret.
public struct AccessKeyRecord: Sendable {
    public var keyID: String
    /// The API key's token: the signing secret of its access tokens.
    public var secret: String
    public var userID: Int
    public var userActive: Bool
    public var restrictedOrgID: Int?
    public var scopes: ScopeSet
    /// Its expiry, or the end of its grace once rotated; nil when it never ends.
    public var endsAt: Date?
}

extension SQLStore {
    /// Audits an access token minted over REST (`POST /tokens/`). Nothing else is stored: the token
    /// is signed with the caller's key and checked against that key when it is used.
    public func recordAccessTokenMinted(
        orgID: Int, room: String, identity: String, grants: [String], expiresAt: Int64, actor: AuditActor
    ) async throws {
        try await database.transaction { db in
            try await audit(
                db,
                AuditRecord(
                    action: "access_token.minted", targetType: "room", targetID: room, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID),
                    details: ["identity": identity, "grants": grants.joined(separator: ","), "expires_at": String(expiresAt)]),
                by: actor)
        }
    }
}

extension SQLStore {
    /// A live (not revoked) key, with its secret opened; nil for an unknown or revoked key.
    public func accessKey(keyID: String) async throws -> AccessKeyRecord? {
        guard APIKeyToken.isWellFormedKeyID(keyID) else { return nil }
        let row = try await database.withConnection { db in
            try await db.raw(
                """
                SELECT k.key_id, k.user_id, k.org_id, k.scopes, k.expires_at, k.grace_until, k.secret_ciphertext,
                       u.is_active
                FROM api_keys k JOIN users u ON u.id = k.user_id
                WHERE k.key_id = \(bind: keyID) AND k.revoked_at IS NULL
                """
            ).first()
        }
        guard let row else { return nil }
        let ends = [
            try row.decode(column: "expires_at", as: Int64?.self), try row.decode(column: "grace_until", as: Int64?.self),
        ].compactMap { $0 }.min()
        let secret = try vault.open(try row.decode(column: "secret_ciphertext", as: String.self))
        return AccessKeyRecord(
            keyID: keyID, secret: APIKeyToken(keyID: keyID, secret: secret).text,
            userID: try row.decode(column: "user_id", as: Int.self), userActive: try row.decode(column: "is_active", as: Bool.self),
            restrictedOrgID: try row.decode(column: "org_id", as: Int?.self),
            scopes: ScopeSet(commaSeparated: try row.decode(column: "scopes", as: String.self)) ?? [],
            endsAt: ends.map(Date.init(millis:)))
    }

    /// Records that `identity` was removed from the room at `second` (seconds since 1970), audited.
    public func recordRoomRemoval(orgID: Int, room: String, identity: String, second: Int64, actor: AuditActor) async throws {
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO room_removals (org_id, room, identity, removed_at)
                VALUES (\(bind: orgID), \(bind: room), \(bind: identity), \(bind: second))
                ON CONFLICT (org_id, room, identity) DO UPDATE SET removed_at = excluded.removed_at
                """
            ).run()
            try await audit(
                db,
                AuditRecord(
                    action: "room.participant_removed", targetType: "room", targetID: room, orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: ["identity": identity]),
                by: actor)
        }
    }

    /// The second `identity` was last removed from the room, if ever.
    public func roomRemoval(orgID: Int, room: String, identity: String) async throws -> Int64? {
        try await database.withConnection { db in
            try await db.raw(
                """
                SELECT removed_at FROM room_removals
                WHERE org_id = \(bind: orgID) AND room = \(bind: room) AND identity = \(bind: identity)
                """
            ).first()?.decode(column: "removed_at", as: Int64.self)
        }
    }
}
