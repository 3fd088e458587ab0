import UnpodAPI
import UnpodCore
import UnpodPersistence

/// The global catalogues, for any authenticated key (`Org-Handle` is checked when sent): PRV-1
/// `GET /telephony/providers/` (platform-api.md 2.11), VPR-1 and VPR-2 `GET /voice-profiles/…`
/// (3.3; answers doubly wrapped, as the Python client's reference backend does).
extension APIHandlers {
    func listProviders(_ input: Operations.ListProviders.Input) async throws -> Operations.ListProviders.Output {
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let all = try await store.providers()
        let page = all.dropFirst((paging.page - 1) * paging.pageSize).prefix(paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: all.count, statusCode: ._200, message: "Voice infra providers fetched successfully.",
                        data: page.map(Components.Schemas.Provider.init)))))
    }

    func listVoiceProfiles(_ input: Operations.ListVoiceProfiles.Input) async throws
        -> Operations.ListVoiceProfiles.Output
    {
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        var language: String?
        if let text = input.query.language {
            guard (2...16).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else {
                throw APIError.invalidParameters("language must be a language code such as hi or en")
            }
            language = text.lowercased()
        }
        let page = try await store.voiceProfiles(language: language, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Voice profiles fetched successfully.",
                        data: .init(data: page.items.map(Components.Schemas.VoiceProfile.init))))))
    }

    func getVoiceProfile(_ input: Operations.GetVoiceProfile.Input) async throws -> Operations.GetVoiceProfile.Output {
        let profileID = input.path.profileId
        guard profileID.count <= 100, let profile = try await store.voiceProfile(profileID) else {
            throw APIError.notFound("Voice profile not found.")
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Voice profile fetched successfully.",
                        data: .init(data: .init(profile))))))
    }
}

extension Components.Schemas.Provider {
    init(_ provider: Provider) {
        self.init(
            id: provider.id, name: provider.name, slug: provider.slug, description: provider.description,
            icon: provider.icon, _type: provider.type)
    }
}

extension Components.Schemas.VoiceProfile {
    init(_ profile: VoiceProfile) {
        self.init(
            profileId: profile.profileId, projectId: .init(profile.projectId), persona: profile.persona,
            description: .init(profile.description), gender: .init(profile.gender),
            qualityTier: .init(profile.qualityTier), language: .init(profile.language),
            sttProvider: .init(profile.sttProvider), sttModel: .init(profile.sttModel),
            ttsProvider: .init(profile.ttsProvider), ttsModel: .init(profile.ttsModel),
            ttsVoice: .init(profile.ttsVoice), ttsLanguage: .init(profile.ttsLanguage),
            voicePrompt: .init(profile.voicePrompt), greetingMessage: .init(profile.greetingMessage),
            languages: profile.languages, sttLanguages: profile.sttLanguages,
            voiceTemperature: .init(profile.voiceTemperature), voiceSpeed: .init(profile.voiceSpeed),
            pricePerMinute: .init(profile.pricePerMinute), latencyP95Ms: .init(profile.latencyP95Ms),
            created: .init(profile.created), modified: .init(profile.modified))
    }
}
