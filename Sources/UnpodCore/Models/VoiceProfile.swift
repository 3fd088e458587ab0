import Foundation

/// VPR-1/2: a speech-to-text and text-to-speech bundle of the read-only catalogue, in the shape
/// the Python client's `VoiceProfile` model reads (platform-api.md 3.3). Unset values go out as
/// null; lists are never null.
public struct VoiceProfile: Codable, Sendable, Equatable {
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

    enum CodingKeys: String, CodingKey {
        case profileId = "profile_id"
        case projectId = "project_id"
        case persona, description, gender, languages, language, created, modified
        case qualityTier = "quality_tier"
        case sttProvider = "stt_provider"
        case sttModel = "stt_model"
        case sttLanguages = "stt_languages"
        case ttsProvider = "tts_provider"
        case ttsModel = "tts_model"
        case ttsVoice = "tts_voice"
        case ttsLanguage = "tts_language"
        case voiceTemperature = "voice_temperature"
        case voiceSpeed = "voice_speed"
        case voicePrompt = "voice_prompt"
        case greetingMessage = "greeting_message"
        case pricePerMinute = "price_per_minute"
        case latencyP95Ms = "latency_p95_ms"
    }

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

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(profileId, forKey: .profileId)
        try container.encode(projectId, forKey: .projectId)
        try container.encode(persona, forKey: .persona)
        try container.encode(description, forKey: .description)
        try container.encode(gender, forKey: .gender)
        try container.encode(qualityTier, forKey: .qualityTier)
        try container.encode(languages, forKey: .languages)
        try container.encode(language, forKey: .language)
        try container.encode(sttProvider, forKey: .sttProvider)
        try container.encode(sttModel, forKey: .sttModel)
        try container.encode(sttLanguages, forKey: .sttLanguages)
        try container.encode(ttsProvider, forKey: .ttsProvider)
        try container.encode(ttsModel, forKey: .ttsModel)
        try container.encode(ttsVoice, forKey: .ttsVoice)
        try container.encode(ttsLanguage, forKey: .ttsLanguage)
        try container.encode(voiceTemperature, forKey: .voiceTemperature)
        try container.encode(voiceSpeed, forKey: .voiceSpeed)
        try container.encode(voicePrompt, forKey: .voicePrompt)
        try container.encode(greetingMessage, forKey: .greetingMessage)
        try container.encode(pricePerMinute, forKey: .pricePerMinute)
        try container.encode(latencyP95Ms, forKey: .latencyP95Ms)
        try container.encode(created, forKey: .created)
        try container.encode(modified, forKey: .modified)
    }
}
