import Foundation
import JWTKit

/// The `video` grant of a LiveKit access token: what its holder may do in which room. Absent
/// fields keep LiveKit's meaning: `canPublish` and `canSubscribe` default to true, and
/// `canPublishData` follows `canPublish` (decisions.md section 3).
public struct VideoGrant: Codable, Sendable, Hashable {
    public var roomCreate: Bool?
    public var roomList: Bool?
    public var roomRecord: Bool?
    public var roomAdmin: Bool?
    public var roomJoin: Bool?
    public var room: String?
    public var destinationRoom: String?
    public var canPublish: Bool?
    public var canSubscribe: Bool?
    public var canPublishData: Bool?
    public var canPublishSources: [String]?
    public var canUpdateOwnMetadata: Bool?
    public var ingressAdmin: Bool?
    public var hidden: Bool?
    public var recorder: Bool?
    public var agent: Bool?

    public init(
        roomJoin: Bool? = nil, room: String? = nil, roomAdmin: Bool? = nil, roomCreate: Bool? = nil,
        roomList: Bool? = nil, canPublish: Bool? = nil, canSubscribe: Bool? = nil, canPublishData: Bool? = nil,
        canUpdateOwnMetadata: Bool? = nil, hidden: Bool? = nil, agent: Bool? = nil
    ) {
        self.roomJoin = roomJoin
        self.room = room
        self.roomAdmin = roomAdmin
        self.roomCreate = roomCreate
        self.roomList = roomList
        self.canPublish = canPublish
        self.canSubscribe = canSubscribe
        self.canPublishData = canPublishData
        self.canUpdateOwnMetadata = canUpdateOwnMetadata
        self.hidden = hidden
        self.agent = agent
    }

    /// The grant as LiveKit reads it, defaults applied.
    public var mayPublish: Bool { canPublish ?? true }
    public var maySubscribe: Bool { canSubscribe ?? true }
    public var mayPublishData: Bool { canPublishData ?? mayPublish }
    public var mayUpdateOwnMetadata: Bool { canUpdateOwnMetadata ?? false }
    public var isHidden: Bool { hidden ?? false }
    public var isRoomAdmin: Bool { roomAdmin ?? false }
    /// Grants that manage rooms rather than take part in one: minting them needs an `admin` key.
    public var managesRooms: Bool { (roomAdmin ?? false) || (roomCreate ?? false) }
}

/// The `sip` grant.
public struct SIPGrant: Codable, Sendable, Equatable {
    public var admin: Bool?
    public var call: Bool?

    public init(admin: Bool? = nil, call: Bool? = nil) {
        self.admin = admin
        self.call = call
    }
}

/// An access token's claims, in LiveKit's layout and JSON casing (decisions.md section 3): `iss`
/// the API key's public id, `sub` the participant identity, times in whole seconds since 1970.
///
/// One claim is ours: `unpod_org`, the organization handle, written only when the signing key is
/// not restricted to one organization (a user in several organizations could otherwise join a
/// room of the same name in another of them). LiveKit's verifiers ignore claims they do not know.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var iss: String
    public var sub: String
    public var nbf: Int64?
    public var exp: Int64?
    public var iat: Int64?
    public var jti: String?
    public var name: String?
    public var metadata: String?
    public var attributes: [String: String]?
    public var kind: String?
    public var video: VideoGrant?
    public var sip: SIPGrant?
    public var sha256: String?
    public var roomPreset: String?
    public var organization: String?

    enum CodingKeys: String, CodingKey {
        case iss, sub, nbf, exp, iat, jti, name, metadata, attributes, kind, video, sip, sha256, roomPreset
        case organization = "unpod_org"
    }

    public init(
        issuer: String, identity: String, notBefore: Int64?, expires: Int64?, issuedAt: Int64? = nil, name: String? = nil,
        metadata: String? = nil, attributes: [String: String]? = nil, kind: String? = nil, video: VideoGrant? = nil,
        sip: SIPGrant? = nil, organization: String? = nil
    ) {
        self.iss = issuer
        self.sub = identity
        self.nbf = notBefore
        self.exp = expires
        self.iat = issuedAt
        self.name = name
        self.metadata = metadata
        self.attributes = attributes
        self.kind = kind
        self.video = video
        self.sip = sip
        self.organization = organization
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decodeIfPresent(String.self, forKey: .iss) ?? ""
        sub = try container.decodeIfPresent(String.self, forKey: .sub) ?? ""
        // NumericDate: an integer in practice, a fraction allowed by RFC 7519.
        func seconds(_ key: CodingKeys) throws -> Int64? {
            guard let value = try container.decodeIfPresent(Double.self, forKey: key) else { return nil }
            guard value.isFinite, abs(value) < 1e15 else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a time")
            }
            return Int64(value.rounded(.down))
        }
        nbf = try seconds(.nbf)
        exp = try seconds(.exp)
        iat = try seconds(.iat)
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        metadata = try container.decodeIfPresent(String.self, forKey: .metadata)
        attributes = try container.decodeIfPresent([String: String].self, forKey: .attributes)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        video = try container.decodeIfPresent(VideoGrant.self, forKey: .video)
        sip = try container.decodeIfPresent(SIPGrant.self, forKey: .sip)
        sha256 = try container.decodeIfPresent(String.self, forKey: .sha256)
        roomPreset = try container.decodeIfPresent(String.self, forKey: .roomPreset)
        organization = try container.decodeIfPresent(String.self, forKey: .organization)
    }

    /// Time claims are checked by ``AccessTokenVerifier`` against its own clock, because a
    /// reconnect accepts an expired token (decisions.md section 3); JWTKit checks the signature.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}

extension VideoGrant {
    /// The boolean grants by their LiveKit names (`unpod token --grant NAME[=false]`, audit details).
    public static let flags: [(name: String, keyPath: any WritableKeyPath<VideoGrant, Bool?> & Sendable)] = [
        ("roomJoin", \.roomJoin), ("roomAdmin", \.roomAdmin), ("roomCreate", \.roomCreate), ("roomList", \.roomList),
        ("roomRecord", \.roomRecord), ("canPublish", \.canPublish), ("canSubscribe", \.canSubscribe),
        ("canPublishData", \.canPublishData), ("canUpdateOwnMetadata", \.canUpdateOwnMetadata),
        ("ingressAdmin", \.ingressAdmin), ("hidden", \.hidden), ("recorder", \.recorder), ("agent", \.agent),
    ]

    public static var flagNames: [String] { flags.map(\.name) }

    /// Sets the grant `name` (one of ``flagNames``); false when the name is unknown.
    public mutating func set(_ name: String, to value: Bool) -> Bool {
        guard let flag = Self.flags.first(where: { $0.name == name }) else { return false }
        self[keyPath: flag.keyPath] = value
        return true
    }

    /// The names of the grants set to true.
    public var grantedFlags: [String] { Self.flags.filter { self[keyPath: $0.keyPath] == true }.map(\.name) }
}
