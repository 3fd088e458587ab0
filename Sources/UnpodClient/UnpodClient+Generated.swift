import Foundation
import UnpodAPI
import UnpodCore

/// The calls answered by the generated server, made with the generated client (``UnpodClient/api``)
/// and handed back as the SDK's long-standing types.
extension UnpodClient {
    public func organizations() async throws -> [OrganizationSummary] {
        try await call { try await api.listOrganizations().ok.body.json.data.map(OrganizationSummary.init) }
    }

    public func apiKeys() async throws -> [APIKeySummary] {
        try await call { try await api.listAPIKeys().ok.body.json.data.map(APIKeySummary.init) }
    }

    public func createAPIKey(_ request: CreateAPIKeyRequest = CreateAPIKeyRequest()) async throws -> CreatedAPIKey {
        let body = Components.Schemas.CreateAPIKeyRequest(
            name: request.name, scopes: request.scopes, orgHandle: request.orgHandle, expiresAt: request.expiresAt,
            expiresIn: request.expiresIn.map { .case1(Int($0.seconds)) })
        return try await call { CreatedAPIKey(try await api.createAPIKey(body: .json(body)).created.body.json.data) }
    }

    public func deleteAPIKey(_ keyID: String) async throws {
        _ = try await call { try await api.deleteAPIKey(path: .init(keyId: keyID)).noContent }
    }

    public func rotateAPIKey(_ keyID: String, _ request: RotateAPIKeyRequest = RotateAPIKeyRequest()) async throws
        -> CreatedAPIKey
    {
        let body = Components.Schemas.RotateAPIKeyRequest(
            gracePeriod: request.gracePeriod.map { .case1(Int($0.seconds)) },
            expiresIn: request.expiresIn.map { .case1(Int($0.seconds)) })
        return try await call {
            CreatedAPIKey(try await api.rotateAPIKey(path: .init(keyId: keyID), body: .json(body)).created.body.json.data)
        }
    }

    public func providers() async throws -> [Provider] {
        try await call { try await api.listProviders(query: .init(pageSize: 100)).ok.body.json.data.map(Provider.init) }
    }

    public func voiceProfiles(language: String? = nil) async throws -> [VoiceProfile] {
        try await call {
            try await api.listVoiceProfiles(query: .init(language: language, pageSize: 100)).ok.body.json.data.data
                .map(VoiceProfile.init)
        }
    }

    public func voiceProfile(_ profileID: String) async throws -> VoiceProfile {
        try await call { VoiceProfile(try await api.getVoiceProfile(path: .init(profileId: profileID)).ok.body.json.data.data) }
    }
}

extension OrganizationSummary {
    init(_ organization: Components.Schemas.Organization) {
        self.init(
            id: organization.id, name: organization.name, domainHandle: organization.domainHandle,
            createdAt: organization.createdAt)
    }
}

extension APIKeySummary {
    init(_ key: Components.Schemas.APIKey) {
        self.init(
            keyId: key.keyId, name: key.name, scopes: key.scopes, orgHandle: key.orgHandle.value,
            createdAt: key.createdAt, expiresAt: key.expiresAt.value, lastUsedAt: key.lastUsedAt.value,
            rotatedAt: key.rotatedAt.value, graceUntil: key.graceUntil.value,
            status: key.status)
        prefix = key.prefix
    }
}

extension CreatedAPIKey {
    init(_ key: Components.Schemas.CreatedAPIKey) {
        self.init(
            keyId: key.keyId, token: key.token, name: key.name, scopes: key.scopes, orgHandle: key.orgHandle.value,
            createdAt: key.createdAt, expiresAt: key.expiresAt.value, replacesKeyId: key.replacesKeyId,
            previousKeyGraceUntil: key.previousKeyGraceUntil)
    }
}

extension Provider {
    init(_ provider: Components.Schemas.Provider) {
        self.init(
            id: provider.id, name: provider.name, slug: provider.slug, description: provider.description,
            icon: provider.icon, type: provider._type)
    }
}

extension VoiceProfile {
    init(_ profile: Components.Schemas.VoiceProfile) {
        self.init(
            profileId: profile.profileId, persona: profile.persona, description: profile.description.value,
            gender: profile.gender.value, qualityTier: profile.qualityTier.value, languages: profile.languages,
            language: profile.language.value, sttProvider: profile.sttProvider.value, sttModel: profile.sttModel.value,
            ttsProvider: profile.ttsProvider.value, ttsModel: profile.ttsModel.value, ttsVoice: profile.ttsVoice.value,
            pricePerMinute: profile.pricePerMinute.value, latencyP95Ms: profile.latencyP95Ms.value,
            created: profile.created.value)
        projectId = profile.projectId.value
        sttLanguages = profile.sttLanguages
        ttsLanguage = profile.ttsLanguage.value
        voiceTemperature = profile.voiceTemperature.value
        voiceSpeed = profile.voiceSpeed.value
        voicePrompt = profile.voicePrompt.value
        greetingMessage = profile.greetingMessage.value
        modified = profile.modified.value
    }
}
