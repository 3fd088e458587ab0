import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// `POST /tokens/` (issue 7, item 2): an access token for a room of the caller's organization,
/// signed with the calling key (its `key_id` is `iss`, its token the secret), so nothing is stored
/// but the audit event. Any member with a `write` key may mint; `roomAdmin` and `roomCreate` need
/// an `admin` key.
struct AccessTokenController {
    /// Names and identities as LiveKit bounds them.
    static let maxNameLength = 256
    static let maxMetadataBytes = 64 * 1024

    let store: SQLStore
    let clock: any WallClock
    let addresses: ClientAddressResolver
    /// The longest `ttl` a request may ask for.
    let maxTTL: TimeInterval
    /// Where clients connect (`ws://` or `wss://`); nil to answer with the request's own host.
    let publicURL: String?

    func addRoutes(to group: GuardedRoutes) {
        group.post("tokens", use: mint)
    }

    @Sendable func mint(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let organization = try context.requireMembership().organization
        let body = try await JSONResponse.decode(AccessTokenRequest.self, from: request, context: context)
        guard let secret = Self.presentedToken(request), APIKeyToken.parse(secret)?.keyID == caller.keyID else {
            throw APIError.invalidToken
        }
        var builder = try Self.builder(body, keyID: caller.keyID, secret: secret, maxTTL: maxTTL)
        if builder.video?.managesRooms == true, !caller.scopes.contains(.admin) { throw APIError.permissionDenied }
        // A key restricted to one organization names it; any other key's tokens carry the handle.
        if caller.restrictedOrgID == nil { builder.organization = organization.domainHandle }
        let now = clock.now()
        let claims = builder.claims(now: now)
        let token = try await builder.build(now: now)
        try await store.recordAccessTokenMinted(
            orgID: organization.id, room: builder.video?.room ?? "", identity: builder.identity,
            grants: builder.video?.grantedFlags ?? [], expiresAt: claims.exp ?? 0,
            actor: try context.auditActor(request, addresses: addresses))
        return JSONResponse.make(
            ObjectEnvelope(
                message: "Token created successfully.",
                data: AccessTokenResponse(serverURL: serverURL(request), participantToken: token)))
    }

    /// The builder a request describes; a 400 naming the first rule it breaks.
    static func builder(_ body: AccessTokenRequest, keyID: String, secret: String, maxTTL: TimeInterval) throws
        -> AccessTokenBuilder
    {
        func invalid(_ detail: String) -> APIError { APIError.invalidParameters(detail) }
        func checkName(_ value: String?, _ field: String) throws {
            if let value, !(1...maxNameLength).contains(value.count) { throw invalid("\(field) must be 1 to \(maxNameLength) characters") }
        }
        try checkName(body.roomName, "room_name")
        try checkName(body.participantIdentity, "participant_identity")
        try checkName(body.participantName, "participant_name")
        if let metadata = body.participantMetadata, metadata.utf8.count > maxMetadataBytes {
            throw invalid("participant_metadata must be at most \(maxMetadataBytes) bytes")
        }
        if let attributes = body.participantAttributes, attributes.reduce(0, { $0 + $1.key.utf8.count + $1.value.utf8.count }) > maxMetadataBytes {
            throw invalid("participant_attributes must be at most \(maxMetadataBytes) bytes in all")
        }
        var ttl = AccessTokenKey.defaultTTL
        if let requested = body.ttl {
            guard let seconds = requested.seconds, seconds <= maxTTL else {
                throw invalid("ttl must be 1 to \(Int(maxTTL)) seconds")
            }
            ttl = seconds
        }
        var video = body.grants ?? VideoGrant(roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true)
        switch (video.room, body.roomName) {
        case (let granted?, let named?) where granted != named:
            throw invalid("grants.room and room_name name different rooms")
        case (nil, let named):
            video.room = named ?? (video.roomJoin == true ? "room-" + Self.randomSuffix() : nil)
        default:
            break
        }
        if let room = video.room { try checkName(room, "grants.room") }
        var builder = AccessTokenBuilder(
            keyID: keyID, secret: secret, identity: body.participantIdentity ?? "participant-" + Self.randomSuffix(), video: video)
        builder.name = body.participantName
        builder.metadata = body.participantMetadata
        builder.attributes = body.participantAttributes
        builder.ttl = ttl
        return builder
    }

    /// The API key as the request presented it (`Token …` or `Bearer …`): the signing secret, read
    /// by the auth check's own parser, so any header the check admitted gives its key here.
    static func presentedToken(_ request: Request) -> String? {
        guard var header = request.headers.value(.authorization) else { return nil }
        return header.withUTF8 { bytes in
            (try? Authenticator.credential(inHeader: bytes)).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    private func serverURL(_ request: Request) -> String {
        if let publicURL {
            if publicURL.hasPrefix("https://") { return "wss://" + publicURL.dropFirst("https://".count) }
            if publicURL.hasPrefix("http://") { return "ws://" + publicURL.dropFirst("http://".count) }
            return publicURL
        }
        return "ws://" + (request.head.authority ?? "127.0.0.1")
    }

    private static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base62.random(count: 12, using: &generator)
    }
}
