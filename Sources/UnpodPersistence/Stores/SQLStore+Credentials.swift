import Foundation
import SQLKit
import UnpodCore

extension SQLStore: CredentialStore {
    /// The live key with this lookup hash and its user's memberships, read on one connection.
    public func credential(lookupHash: LookupHash) async throws -> StoredCredential? {
        try await database.withConnection { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT k.id, k.key_id, k.user_id, k.scopes, k.org_id, k.expires_at, k.rotated_at, k.grace_until,
                           u.is_active
                    FROM api_keys k JOIN users u ON u.id = k.user_id
                    WHERE k.lookup_hash = \(bind: lookupHash.hex) AND k.revoked_at IS NULL
                    """
                ).first()
            else { return nil }
            let userID = try row.decode(column: "user_id", as: Int.self)
            return StoredCredential(
                keyRowID: try row.decode(column: "id", as: Int.self),
                keyID: try row.decode(column: "key_id", as: String.self),
                userID: userID,
                userActive: try row.decode(column: "is_active", as: Bool.self),
                scopes: ScopeSet(commaSeparated: try row.decode(column: "scopes", as: String.self)) ?? [],
                restrictedOrgID: try row.decode(column: "org_id", as: Int?.self),
                expiresAt: try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(millis:)),
                rotatedAt: try row.decode(column: "rotated_at", as: Int64?.self).map(Date.init(millis:)),
                graceUntil: try row.decode(column: "grace_until", as: Int64?.self).map(Date.init(millis:)),
                memberships: try await Self.memberships(db, userID: userID))
        }
    }
}
