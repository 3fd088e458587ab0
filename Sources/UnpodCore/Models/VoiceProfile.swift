import Foundation

/// VPR-1/2: a speech-to-text and text-to-speech bundle of the read-only catalogue, in the shape
/// the Python client's `VoiceProfile` model reads (platform-api.md 3.3). Unset values go out as
/// null; lists are never null.
public struct VoiceProfile: Sendable, Equatable {
    public var profileId: String
    public var projectId: String?
    public var persona: String
    public var description: String?
    public var gender: String?
    public var qualityTier: String?
    public var languages: [String]
    public var language: String?
    public var sttProvider: String?
    public var sttModel: String?
    public var sttLanguages: [String]
    public var ttsProvider: String?
    public var ttsModel: String?
    public var ttsVoice: String?
    public var ttsLanguage: String?
    public var voiceTemperature: Double?
    public var voiceSpeed: Double?
    public var voicePrompt: String?
    public var greetingMessage: String?
    /// USD per minute.
    public var pricePerMinute: Double?
    public var latencyP95Ms: Int?
    public var created: Date?
    public var modified: Date?

    public init(
        profileId: String, persona: String, description: String?, gender: String?, qualityTier: String?,
        languages: [String], language: String?, sttProvider: String?, sttModel: String?, ttsProvider: String?,
        ttsModel: String?, ttsVoice: String?, pricePerMinute: Double?, latencyP95Ms: Int?, created: Date?
    ) {
        self.profileId = profileId
        self.projectId = nil
        self.persona = persona
        self.description = description
        self.gender = gender
        self.qualityTier = qualityTier
        self.languages = languages
        self.language = language
        self.sttProvider = sttProvider
        self.sttModel = sttModel
        self.sttLanguages = languages
        self.ttsProvider = ttsProvider
        self.ttsModel = ttsModel
        self.ttsVoice = ttsVoice
        self.ttsLanguage = language
        self.voiceTemperature = nil
        self.voiceSpeed = nil
        self.voicePrompt = nil
        self.greetingMessage = nil
        self.pricePerMinute = pricePerMinute
        self.latencyP95Ms = latencyP95Ms
        self.created = created
        self.modified = created
    }
}
