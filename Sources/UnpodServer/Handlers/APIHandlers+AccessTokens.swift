import HTTPTypes
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// `POST /tokens/` (issue 7, item 2): an access token for a room of the caller's organization,
/// signed with the calling key (its `key_id` is `iss`, its token the secret), so nothing is stored
/// but the audit event. Any member with a `write` key may mint; `roomAdmin` and `roomCreate` need
/// an `admin` key.
extension APIHandlers {
    func mintAccessToken(_ input: Operations.MintAccessToken.Input) async throws -> Operations.MintAccessToken.Output {
        let context = try APIRequestScope.current()
        let caller = try context.requireCaller()
        let organization = try context.requireMembership().organization
        let head = try APIRequestScope.head()
        guard let secret = Self.presentedToken(head), APIKeyToken.parse(secret)?.keyID == caller.keyID else {
            throw APIError.invalidToken
        }
        let request: Components.Schemas.AccessTokenRequest
        switch input.body {
        case .json(let body)?: request = body
        case nil: request = .init()
        }
        var builder = try AccessTokenRules.builder(request, keyID: caller.keyID, secret: secret, maxTTL: tokens.maxTTL)
        if builder.video?.managesRooms == true, !caller.scopes.contains(.admin) { throw APIError.permissionDenied }
        // A key restricted to one organization names it; any other key's tokens carry the handle.
        if caller.restrictedOrgID == nil { builder.organization = organization.domainHandle }
        let now = clock.now()
        let claims = builder.claims(now: now)
        let token = try await builder.build(now: now)
        try await store.recordAccessTokenMinted(
            orgID: organization.id, room: builder.video?.room ?? "", identity: builder.identity,
            grants: builder.video?.grantedFlags ?? [], expiresAt: claims.exp ?? 0, actor: try auditActor())
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Token created successfully.",
                        data: .init(serverUrl: tokens.serverURL(authority: head.authority), participantToken: token)))))
    }

    /// The API key as the request presented it (`Token …` or `Bearer …`): the signing secret, read
    /// by the auth check's own parser, so any header the check admitted gives its key here.
    static func presentedToken(_ head: HTTPRequest) -> String? {
        guard var header = head.headerFields[.authorization] else { return nil }
        return header.withUTF8 { bytes in
            (try? Authenticator.credential(inHeader: bytes)).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
