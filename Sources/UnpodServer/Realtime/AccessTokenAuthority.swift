import Foundation
import UnpodCore
import UnpodPersistence

/// Decides whether an access token lets its holder into a room: the key that signed it (live,
/// not revoked, not past its expiry or grace, its user active), the signature and times, the
/// organization whose room it names, `roomJoin`, and earlier removals of that identity.
struct AccessTokenAuthority: Sendable {
    /// A token that passed: who joins which room of which organization, and the key to refresh with.
    struct Admission: Sendable {
        var claims: AccessTokenClaims
        var orgID: Int
        var room: String
        var key: AccessKeyRecord
    }

    let store: SQLStore
    let clock: any WallClock

    /// `allowExpired`: a reconnect to a session the room still holds (decisions.md section 3).
    /// `organization`: the `org` query parameter, for a token that names none and a key that does not say.
    func admit(_ token: String, allowExpired: Bool, organization: String?) async throws -> Result<Admission, RealtimeClose> {
        let (claims, key): (AccessTokenClaims, AccessKeyRecord)
        switch try await verified(token, allowExpired: allowExpired) {
        case .success(let verified): (claims, key) = verified
        case .failure(let close): return .failure(close)
        }
        guard let video = claims.video, video.roomJoin == true else { return .failure(.noPermission("the token has no roomJoin")) }
        guard let room = video.room, !room.isEmpty, room.count <= 256 else { return .failure(.noPermission("the token names no room")) }
        guard !claims.sub.isEmpty, claims.sub.count <= 256 else { return .failure(.invalidToken("the token names no identity")) }
        guard let orgID = try await resolveOrganization(of: claims, key: key, requested: organization)?.organization.id else {
            return .failure(.noPermission("the token's organization is not the key's"))
        }
        if let removed = try await store.roomRemoval(orgID: orgID, room: room, identity: claims.sub),
            (claims.nbf ?? claims.iat ?? 0) <= removed
        {
            return .failure(.removed)
        }
        return .success(Admission(claims: claims, orgID: orgID, room: room, key: key))
    }

    /// A worker's token (issue 9, item 3): valid and unexpired, with the `agent` grant, signed by a
    /// key with `write` scope whose user is an owner or admin of the organization it works for.
    func admitWorker(_ token: String, organization: String?) async throws -> Result<(claims: AccessTokenClaims, key: AccessKeyRecord, orgID: Int), RealtimeClose> {
        let (claims, key): (AccessTokenClaims, AccessKeyRecord)
        switch try await verified(token, allowExpired: false) {
        case .success(let verified): (claims, key) = verified
        case .failure(let close): return .failure(close)
        }
        guard claims.video?.agent == true else { return .failure(.noPermission("the token has no agent grant")) }
        guard key.scopes.contains(ScopeSet(.write)) else { return .failure(.noPermission("the key has no write scope")) }
        guard let membership = try await resolveOrganization(of: claims, key: key, requested: organization) else {
            return .failure(.noPermission("the token's organization is not the key's"))
        }
        guard membership.role >= .admin else { return .failure(.noPermission("workers need an owner or admin")) }
        return .success((claims, key, membership.organization.id))
    }

    /// The key that signed the token (live, its user active, not past its end) and the verified claims.
    private func verified(_ token: String, allowExpired: Bool) async throws -> Result<(AccessTokenClaims, AccessKeyRecord), RealtimeClose> {
        guard let issuer = AccessTokenKey.unverifiedIssuer(of: token) else { return .failure(.invalidToken("malformed")) }
        guard let key = try await store.accessKey(keyID: issuer) else { return .failure(.invalidToken("unknown or revoked key")) }
        let now = clock.now()
        guard key.userActive else { return .failure(.invalidToken("the key's user is inactive")) }
        if let ends = key.endsAt, ends <= now { return .failure(.invalidToken("the key has expired")) }
        do {
            return .success(
                (try AccessTokenVerifier(keyID: key.keyID, secret: key.secret).verify(token, now: now, allowExpired: allowExpired), key))
        } catch .expired {
            return .failure(.tokenExpired)
        } catch {
            return .failure(.invalidToken("\(error)"))
        }
    }

    /// The organization whose room the token names: the `unpod_org` claim or the `org` parameter
    /// (one of the key's organizations), else the key's restriction, else the user's only organization.
    private func resolveOrganization(of claims: AccessTokenClaims, key: AccessKeyRecord, requested: String?) async throws
        -> Membership?
    {
        let memberships = try await store.memberships(userID: key.userID).filter { membership in
            key.restrictedOrgID.map { $0 == membership.organization.id } ?? true
        }
        let named = [claims.organization, requested].compactMap { $0?.lowercased() }
        if let handle = named.first {
            guard Set(named).count == 1 else { return nil }
            return memberships.first { $0.organization.domainHandle == handle }
        }
        if let restricted = key.restrictedOrgID { return memberships.first { $0.organization.id == restricted } }
        return memberships.count == 1 ? memberships[0] : nil
    }

    /// A fresh token for a participant in the room: the same claims, issued now, valid for the
    /// longer of 10 minutes and what the original had left (LiveKit's rule; never shorter, #4580).
    func refreshed(_ admission: Admission) async throws -> String {
        let now = Int64(clock.now().timeIntervalSince1970.rounded(.down))
        var claims = admission.claims
        let left = (claims.exp ?? now) - now
        claims.nbf = now
        claims.iat = now
        claims.exp = now + max(600, left)
        return try await AccessTokenKey(keyID: admission.key.keyID, secret: admission.key.secret).sign(claims)
    }
}
