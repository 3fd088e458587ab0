import Foundation
import UnpodAPI
import UnpodCore

/// What a `POST /tokens/` request may ask for (LiveKit's bounds on names and metadata, the
/// server's longest `ttl`), and the token builder it describes: a 400 naming the first rule it
/// breaks.
enum AccessTokenRules {
    static let maxNameLength = 256
    static let maxMetadataBytes = 64 * 1024

    static func builder(
        _ body: Components.Schemas.AccessTokenRequest, keyID: String, secret: String, maxTTL: TimeInterval
    ) throws -> AccessTokenBuilder {
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
        let attributes = body.participantAttributes?.additionalProperties
        if let attributes, attributes.reduce(0, { $0 + $1.key.utf8.count + $1.value.utf8.count }) > maxMetadataBytes {
            throw invalid("participant_attributes must be at most \(maxMetadataBytes) bytes in all")
        }
        var ttl = AccessTokenKey.defaultTTL
        if let requested = body.ttl {
            guard let seconds = seconds(requested), seconds <= maxTTL else {
                throw invalid("ttl must be 1 to \(Int(maxTTL)) seconds")
            }
            ttl = seconds
        }
        var video = body.grants ?? VideoGrant(roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true)
        switch (video.room, body.roomName) {
        case (let granted?, let named?) where granted != named:
            throw invalid("grants.room and room_name name different rooms")
        case (nil, let named):
            video.room = named ?? (video.roomJoin == true ? "room-" + randomSuffix() : nil)
        default:
            break
        }
        if let room = video.room { try checkName(room, "grants.room") }
        var builder = AccessTokenBuilder(
            keyID: keyID, secret: secret, identity: body.participantIdentity ?? "participant-" + randomSuffix(), video: video)
        builder.name = body.participantName
        builder.metadata = body.participantMetadata
        builder.attributes = attributes
        builder.ttl = ttl
        return builder
    }

    /// Seconds as a positive number, or a duration text such as `10m`; nil for anything else.
    private static func seconds(_ ttl: Components.Schemas.AccessTokenRequest.TtlPayload) -> TimeInterval? {
        switch ttl {
        case .case1(let number): number > 0 ? TimeInterval(number) : nil
        case .case2(let text): DurationText.seconds(text)
        }
    }

    static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return Base62.random(count: 12, using: &generator)
    }
}
