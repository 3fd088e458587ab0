import SQLKit
import UnpodCore

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
