import Foundation
import SQLKit
import UnpodCore

extension SQLStore {
    /// Which keys a caller may see and manage: their own, and, for a key restricted to one
    /// organization, only keys restricted to that same organization.
    public struct KeyOwner: Sendable, Equatable {
        public var userID: Int?
        public var restrictedOrgID: Int?

        /// A user's keys, as seen by a key with the given restriction.
        public static func user(_ userID: Int, restrictedTo orgID: Int? = nil) -> KeyOwner {
            KeyOwner(userID: userID, restrictedOrgID: orgID)
        }

        /// Any key: the operator on the command line.
        public static let anyone = KeyOwner(userID: nil, restrictedOrgID: nil)
    }

    /// Makes a key and returns its token, which is never stored: only its HMAC and the sealed secret are.
    public func createAPIKey(
        userID: Int, name: String, scopes: ScopeSet, organization: OrganizationSummary?, expiresAt: Date?,
        actor: AuditActor = .cli
    ) async throws -> CreatedAPIKey {
        try await database.transaction { db in
            let created = try await insertAPIKey(
                db, userID: userID, name: name, scopes: scopes, organization: organization, expiresAt: expiresAt)
            var details = ["name": name, "scopes": scopes.commaSeparated]
            if let expiresAt = created.expiresAt { details["expires_at"] = Timestamp.format(expiresAt) }
            try await audit(
                db,
                AuditRecord(
                    action: "api_key.created", targetType: "api_key", targetID: created.keyId, orgID: organization?.id,
                    orgHandle: organization?.domainHandle, subjectUserID: userID, details: details),
                by: actor)
            return created
        }
    }

    /// The owner's keys that are not revoked, oldest first.
    public func apiKeys(of owner: KeyOwner) async throws -> [APIKeySummary] {
        try await summaries(of: owner, matching: "")
    }

    /// One of the owner's keys that is not revoked.
    public func apiKey(_ keyID: String, of owner: KeyOwner) async throws -> APIKeySummary? {
        try await summaries(of: owner, matching: " AND k.key_id = \(bind: keyID)").first
    }

    private func summaries(of owner: KeyOwner, matching condition: SQLQueryString) async throws -> [APIKeySummary] {
        let now = clock.now()
        return try await database.withConnection { db in
            try await db.raw(
                """
                SELECT k.key_id, k.name, k.scopes, o.domain_handle, k.created_at, k.expires_at,
                       k.last_used_at, k.rotated_at, k.grace_until
                FROM api_keys k LEFT JOIN organizations o ON o.id = k.org_id
                WHERE k.revoked_at IS NULL \(Self.ownerFilter(owner))\(condition)
                ORDER BY k.id
                """
            ).all().map { try Self.summary(from: $0, now: now) }
        }
    }

    /// Revokes a key at once: it is refused from the next request on (every node within a second).
    /// Its sealed secret is wiped, as nothing may sign with it any more.
    public func revokeAPIKey(_ keyID: String, of owner: KeyOwner, actor: AuditActor = .cli) async throws {
        let now = clock.now()
        try await database.transaction { db in
            guard
                let row = try await db.raw(
                    "SELECT user_id, org_id FROM api_keys k WHERE k.key_id = \(bind: keyID) AND k.revoked_at IS NULL \(Self.ownerFilter(owner))"
                ).first()
            else { throw StoreError.notFound("API key not found.") }
            try await db.raw(
                "UPDATE api_keys SET revoked_at = \(bind: now.millis), secret_ciphertext = '' WHERE key_id = \(bind: keyID)"
            ).run()
            try await Self.bumpAuthEpoch(db)
            try await auditKey(db, "api_key.revoked", keyID: keyID, row: row, by: actor)
        }
    }

    /// An event about a key, from a row holding its `user_id` and `org_id`.
    private func auditKey(
        _ db: any SQLDatabase, _ action: String, keyID: String, row: any SQLRow, details: [String: String] = [:],
        by actor: AuditActor
    ) async throws {
        let orgID = try row.decode(column: "org_id", as: Int?.self)
        let handle: String? = if let orgID { try await Self.handle(db, orgID: orgID) } else { nil }
        try await audit(
            db,
            AuditRecord(
                action: action, targetType: "api_key", targetID: keyID, orgID: orgID, orgHandle: handle,
                subjectUserID: try row.decode(column: "user_id", as: Int.self), details: details),
            by: actor)
    }

    /// Replaces a key with a new one of the same name, scopes and organization. The old key keeps
    /// working for `grace` (never past its own expiry) and is then refused as expired.
    /// The new key lives as long as the old one did, counted from now, unless `expiresIn` says otherwise,
    /// and never past `notAfter`.
    public func rotateAPIKey(
        _ keyID: String, of owner: KeyOwner, grace: TimeInterval, expiresIn: TimeInterval?, notAfter: Date? = nil,
        actor: AuditActor = .cli
    ) async throws -> CreatedAPIKey {
        let now = clock.now()
        return try await database.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT k.id, k.user_id, k.name, k.scopes, k.org_id, k.created_at, k.expires_at, k.rotated_at
                    FROM api_keys k WHERE k.key_id = \(bind: keyID) AND k.revoked_at IS NULL \(Self.ownerFilter(owner))
                    """
                ).first()
            else { throw StoreError.notFound("API key not found.") }
            let expiresAt = try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(millis:))
            if try row.decode(column: "rotated_at", as: Int64?.self) != nil {
                throw StoreError.invalidState("This key has already been rotated; rotate its replacement instead.")
            }
            if let expiresAt, expiresAt <= now {
                throw StoreError.invalidState("This key has expired; create a new one instead.")
            }
            let createdAt = Date(millis: try row.decode(column: "created_at", as: Int64.self))
            var newExpiry: Date? =
                if let expiresIn { now.addingTimeInterval(expiresIn) } else {
                    expiresAt.map { now.addingTimeInterval($0.timeIntervalSince(createdAt)) }
                }
            if let notAfter { newExpiry = min(newExpiry ?? notAfter, notAfter) }
            let organization: OrganizationSummary? =
                if let orgID = try row.decode(column: "org_id", as: Int?.self) {
                    try await db.raw(
                        "SELECT id, name, domain_handle, created_at FROM organizations WHERE id = \(bind: orgID)"
                    ).first().map(Self.organization(from:))
                } else { nil }
            var created = try await insertAPIKey(
                db, userID: try row.decode(column: "user_id", as: Int.self),
                name: try row.decode(column: "name", as: String.self),
                scopes: ScopeSet(commaSeparated: try row.decode(column: "scopes", as: String.self)) ?? [],
                organization: organization, expiresAt: newExpiry)
            let graceEnd = Date(millis: min(expiresAt ?? .distantFuture, now.addingTimeInterval(grace)).millis)
            try await db.raw(
                """
                UPDATE api_keys SET rotated_at = \(bind: now.millis), grace_until = \(bind: graceEnd.millis),
                    replaced_by = \(bind: created.keyId)
                WHERE id = \(bind: try row.decode(column: "id", as: Int.self))
                """
            ).run()
            try await Self.bumpAuthEpoch(db)
            try await auditKey(
                db, "api_key.rotated", keyID: keyID, row: row,
                details: ["new_key_id": created.keyId, "grace_until": Timestamp.format(graceEnd)], by: actor)
            created.replacesKeyId = keyID
            created.previousKeyGraceUntil = graceEnd
            return created
        }
    }

    /// The secret of a live key, for signing access tokens.
    public func signingSecret(keyID: String) async throws -> String? {
        let sealed = try await database.withConnection { db in
            try await db.raw(
                "SELECT secret_ciphertext FROM api_keys WHERE key_id = \(bind: keyID) AND revoked_at IS NULL"
            ).first()?.decode(column: "secret_ciphertext", as: String.self)
        }
        return try sealed.map(vault.open)
    }

    /// Writes last-used times collected in memory, in one transaction. Never moves a time backwards.
    /// The first use of a rotated key after its rotation is audited once (a client that has not
    /// switched yet, or a leaked key still in use).
    public func recordLastUsed(_ times: [Int: Date]) async throws {
        guard !times.isEmpty else { return }
        try await database.transaction { db in
            for (rowID, time) in times {
                try await db.raw(
                    """
                    UPDATE api_keys SET last_used_at = \(bind: time.millis)
                    WHERE id = \(bind: rowID) AND (last_used_at IS NULL OR last_used_at < \(bind: time.millis))
                    """
                ).run()
                guard
                    let row = try await db.raw(
                        """
                        UPDATE api_keys SET used_after_rotation_at = \(bind: time.millis)
                        WHERE id = \(bind: rowID) AND rotated_at IS NOT NULL AND rotated_at <= \(bind: time.millis)
                          AND used_after_rotation_at IS NULL
                        RETURNING key_id, user_id, org_id
                        """
                    ).first()
                else { continue }
                let keyID = try row.decode(column: "key_id", as: String.self)
                let userID = try row.decode(column: "user_id", as: Int.self)
                try await auditKey(
                    db, "api_key.used_after_rotation", keyID: keyID, row: row,
                    by: AuditActor(type: "api_key", userID: userID, email: try await Self.email(db, userID: userID), keyID: keyID))
            }
        }
    }

    private func insertAPIKey(
        _ db: any SQLDatabase, userID: Int, name: String, scopes: ScopeSet, organization: OrganizationSummary?,
        expiresAt: Date?
    ) async throws -> CreatedAPIKey {
        let now = Date(millis: clock.now().millis)
        let expiresAt = expiresAt.map { Date(millis: $0.millis) }
        // A key id is 95 random bits; the retry only guards the unique index in theory.
        for _ in 0..<3 {
            let token = APIKeyToken.generate()
            if try await db.raw("SELECT id FROM api_keys WHERE key_id = \(bind: token.keyID)").first() != nil {
                continue
            }
            try await db.raw(
                """
                INSERT INTO api_keys (key_id, user_id, name, lookup_hash, secret_ciphertext, scopes, org_id,
                                      created_at, expires_at)
                VALUES (\(bind: token.keyID), \(bind: userID), \(bind: name), \(bind: vault.lookupHash(of: token.text).hex),
                        \(bind: try vault.seal(token.secret)), \(bind: scopes.commaSeparated), \(bind: organization?.id),
                        \(bind: now.millis), \(bind: expiresAt.millis))
                """
            ).run()
            return CreatedAPIKey(
                keyId: token.keyID, token: token.text, name: name, scopes: scopes.scopes,
                orgHandle: organization?.domainHandle, createdAt: now, expiresAt: expiresAt)
        }
        throw StoreError.invalidState("could not allocate a key id")
    }

    private static func ownerFilter(_ owner: KeyOwner) -> SQLQueryString {
        var filter: SQLQueryString = ""
        if let userID = owner.userID { filter = filter + " AND k.user_id = \(bind: userID)" }
        if let orgID = owner.restrictedOrgID { filter = filter + " AND k.org_id = \(bind: orgID)" }
        return filter
    }

    private static func summary(from row: any SQLRow, now: Date) throws -> APIKeySummary {
        let expiresAt = try row.decode(column: "expires_at", as: Int64?.self).map(Date.init(millis:))
        let rotatedAt = try row.decode(column: "rotated_at", as: Int64?.self).map(Date.init(millis:))
        let graceUntil = try row.decode(column: "grace_until", as: Int64?.self).map(Date.init(millis:))
        let end = [expiresAt, graceUntil].compactMap { $0 }.min()
        let status: APIKeySummary.Status =
            if let end, end <= now { .expired } else if rotatedAt != nil { .rotated } else { .active }
        return APIKeySummary(
            keyId: try row.decode(column: "key_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            scopes: (ScopeSet(commaSeparated: try row.decode(column: "scopes", as: String.self)) ?? []).scopes,
            orgHandle: try row.decode(column: "domain_handle", as: String?.self),
            createdAt: Date(millis: try row.decode(column: "created_at", as: Int64.self)),
            expiresAt: expiresAt,
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Date.init(millis:)),
            rotatedAt: rotatedAt, graceUntil: graceUntil, status: status)
    }
}
