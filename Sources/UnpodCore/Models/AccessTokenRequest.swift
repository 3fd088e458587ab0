import Foundation

/// `POST /tokens/`: LiveKit's token-source request (snake case), plus `grants` (LiveKit's video
/// grant, camel case) and `ttl` (seconds, or a duration such as "10m").
public struct AccessTokenRequest: Codable, Sendable, Equatable {
    /// Any JSON object, accepted and not used: rooms are made when first joined.
    public struct RoomConfiguration: Codable, Sendable, Equatable {
        public init() {}
        public init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: AnyKey.self) }
        public func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: AnyKey.self) }
        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    /// Seconds as a number, or a duration text.
    public struct TTL: Codable, Sendable, Equatable {
        public var seconds: TimeInterval?
        public init(seconds: TimeInterval) { self.seconds = seconds }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                seconds = number > 0 ? TimeInterval(number) : nil
            } else {
                seconds = DurationText.seconds(try container.decode(String.self))
            }
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(Int(seconds ?? 0))
        }
    }

    public var roomName: String?
    public var participantIdentity: String?
    public var participantName: String?
    public var participantMetadata: String?
    public var participantAttributes: [String: String]?
    public var roomConfig: RoomConfiguration?
    public var grants: VideoGrant?
    public var ttl: TTL?

    enum CodingKeys: String, CodingKey {
        case roomName = "room_name"
        case participantIdentity = "participant_identity"
        case participantName = "participant_name"
        case participantMetadata = "participant_metadata"
        case participantAttributes = "participant_attributes"
        case roomConfig = "room_config"
        case grants, ttl
    }

    public init(
        roomName: String?, participantIdentity: String?, participantName: String? = nil, participantMetadata: String? = nil,
        participantAttributes: [String: String]? = nil, grants: VideoGrant? = nil, ttl: TimeInterval? = nil
    ) {
        self.roomName = roomName
        self.participantIdentity = participantIdentity
        self.participantName = participantName
        self.participantMetadata = participantMetadata
        self.participantAttributes = participantAttributes
        self.grants = grants
        self.ttl = ttl.map(TTL.init(seconds:))
    }
}

/// The answer's `data`: where to connect and the token to connect with.
public struct AccessTokenResponse: Codable, Sendable, Equatable {
    public var serverURL: String
    public var participantToken: String

    enum CodingKeys: String, CodingKey {
        case serverURL = "server_url"
        case participantToken = "participant_token"
    }

    public init(serverURL: String, participantToken: String) {
        self.serverURL = serverURL
        self.participantToken = participantToken
    }
}
