import Foundation
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// VPR-1/2 (issue 6, item 5): the seeded read-only catalogue, doubly wrapped, for any key.
@Suite struct VoiceProfileTests {
    static let path = "/api/v2/platform/voice-profiles/"

    @Test(arguments: TestDatabase.all)
    func listFilterAndGet(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            // A member's read-only key restricted to its organization is enough; no Org-Handle needed.
            let readKey = try await server.store.createAPIKey(
                userID: fixture.user.id, name: "r", scopes: [.read], organization: fixture.organization, expiresAt: nil)
            let listed = try await server.get(Self.path, token: readKey.token)
            #expect(listed.status == .ok)
            let list = try listed.decode(NestedEnvelope<[Components.Schemas.VoiceProfile]>.self)
            #expect(list.message == "Voice profiles fetched successfully." && list.statusCode == 200)
            #expect(list.count == 6 && list.data.data.count == 6)
            #expect(list.data.data.first?.profileId == "VP_openai_alloy")
            #expect(list.data.data.allSatisfy { !$0.languages.isEmpty && $0.projectId == nil && $0.pricePerMinute != nil })

            let hindi = try await server.get(Self.path + "?language=hi", token: readKey.token)
            #expect(try hindi.decode(NestedEnvelope<[Components.Schemas.VoiceProfile]>.self).data.data.map(\.profileId) == [
                "VP_sarvam_anushka", "VP_google_hi_male",
            ])
            let none = try await server.get(Self.path + "?language=fr", token: readKey.token)
            #expect(try none.decode(NestedEnvelope<[Components.Schemas.VoiceProfile]>.self).data.data.isEmpty)
            let bad = try await server.get(Self.path + "?language=%25", token: readKey.token)
            #expect(bad.status == .badRequest && bad.error?.code == "invalid_parameters")

            let one = try await server.get(Self.path + "VP_openai_alloy/", token: readKey.token)
            let profile = try one.decode(NestedEnvelope<Components.Schemas.VoiceProfile>.self)
            #expect(profile.message == "Voice profile fetched successfully.")
            #expect(profile.data.data.persona == "Alloy" && profile.data.data.latencyP95Ms == 480)
            #expect(profile.data.data.pricePerMinute.value == 0.06)
            expectError(try await server.get(Self.path + "VP_nope/", token: readKey.token), .notFound("Voice profile not found."))
            expectError(try await server.get(Self.path), .notAuthenticated)
            expectError(try await server.get(Self.path, token: readKey.token, orgHandle: "other"), .invalidOrganization)
        }
    }
}
