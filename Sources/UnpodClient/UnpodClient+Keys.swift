import Foundation
import UnpodAPI
import UnpodCore

/// Organizations, API keys and the catalogues, through the generated client, answering the
/// document's own types.
extension UnpodClient {
    public func organizations() async throws -> [Schemas.Organization] {
        try await call { try await api.listOrganizations().ok.body.json.data }
    }

    public func apiKeys() async throws -> [Schemas.APIKey] {
        try await call { try await api.listAPIKeys().ok.body.json.data }
    }

    /// A new key; `expiresIn` in seconds. The answer holds the token, shown this once.
    public func createAPIKey(
        name: String? = nil, scopes: [Scope]? = nil, orgHandle: String? = nil, expiresAt: Date? = nil,
        expiresIn seconds: Int? = nil
    ) async throws -> Schemas.CreatedAPIKey {
        let body = Schemas.CreateAPIKeyRequest(
            name: name, scopes: scopes, orgHandle: orgHandle, expiresAt: expiresAt, expiresIn: seconds.map { .case1($0) })
        return try await call { try await api.createAPIKey(body: .json(body)).created.body.json.data }
    }

    public func deleteAPIKey(_ keyID: String) async throws {
        _ = try await call { try await api.deleteAPIKey(path: .init(keyId: keyID)).noContent }
    }

    /// A replacement key; the old one keeps working for `gracePeriod` seconds (the server's
    /// default when nil).
    public func rotateAPIKey(_ keyID: String, gracePeriod: Int? = nil, expiresIn: Int? = nil) async throws
        -> Schemas.CreatedAPIKey
    {
        let body = Schemas.RotateAPIKeyRequest(
            gracePeriod: gracePeriod.map { .case1($0) }, expiresIn: expiresIn.map { .case1($0) })
        return try await call { try await api.rotateAPIKey(path: .init(keyId: keyID), body: .json(body)).created.body.json.data }
    }

    public func providers() async throws -> [Schemas.Provider] {
        try await call { try await api.listProviders(query: .init(pageSize: 100)).ok.body.json.data }
    }

    public func voiceProfiles(language: String? = nil) async throws -> [Schemas.VoiceProfile] {
        try await call { try await api.listVoiceProfiles(query: .init(language: language, pageSize: 100)).ok.body.json.data.data }
    }

    public func voiceProfile(_ profileID: String) async throws -> Schemas.VoiceProfile {
        try await call { try await api.getVoiceProfile(path: .init(profileId: profileID)).ok.body.json.data.data }
    }
}
