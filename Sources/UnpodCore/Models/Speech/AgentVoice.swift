import Foundation

/// One voice an agent speaks with: a voice profile, its own greeting, and whether it is the one
/// calls use (an agent with voices always has exactly one default).
public struct AgentVoice: Sendable, Equatable, Codable {
    public var voiceProfileID: String
    /// The profile's persona when the voice was added (read back as `voice_profile_name`).
    public var profileName: String?
    public var greeting: String?
    public var isDefault: Bool

    public init(voiceProfileID: String, profileName: String?, greeting: String?, isDefault: Bool) {
        self.voiceProfileID = voiceProfileID
        self.profileName = profileName
        self.greeting = greeting
        self.isDefault = isDefault
    }

    enum CodingKeys: String, CodingKey {
        case voiceProfileID = "voice_profile_id"
        case profileName = "voice_profile_name"
        case greeting
        case isDefault = "is_default"
    }
}
