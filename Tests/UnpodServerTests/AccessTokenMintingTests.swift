import Foundation
import HummingbirdTesting
import Testing
import UnpodAPI
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// `POST /tokens/` (issue 7, item 2): tokens signed with the calling key, for its organization's
/// rooms, no wider than the key's scopes allow, no longer than the server allows.
@Suite struct AccessTokenMintingTests {
    static let path = "/api/v2/platform/tokens/"

    static func minted(_ response: TestResponse) throws -> Components.Schemas.AccessTokenResponse {
        #expect(response.status == .ok, "\(response.text)")
        let envelope = try response.decode(Components.Schemas.AccessTokenEnvelope.self)
        #expect(envelope.statusCode.rawValue == 200 && envelope.message == "Token created successfully.")
        return envelope.data
    }

    @Test(arguments: TestDatabase.all)
    func aMemberMintsATokenThatTheKeyVerifies(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            let body = #"""
                {"room_name": "support", "participant_identity": "caller-42", "participant_name": "Caller",
                 "participant_metadata": "{\"lang\":\"hi\"}", "participant_attributes": {"channel": "web"},
                 "room_config": {"agents": [{"agent_name": "sales"}]}}
                """#
            let answer = try Self.minted(
                try await server.request(.post, Self.path, authorization: "Token \(owner.token)", orgHandle: "acme", json: body))
            #expect(answer.serverUrl == "ws://localhost", "the request's own host (the test client sends localhost)")
            let now = server.clock.now()
            let claims = try AccessTokenVerifier(keyID: owner.key.keyId, secret: owner.token).verify(answer.participantToken, now: now)
            #expect(claims.sub == "caller-42" && claims.name == "Caller" && claims.metadata == #"{"lang":"hi"}"#)
            #expect(claims.attributes == ["channel": "web"])
            #expect(claims.video == VideoGrant(roomJoin: true, room: "support", canPublish: true, canSubscribe: true, canPublishData: true))
            let issued = Int64(now.timeIntervalSince1970)
            #expect(claims.nbf == issued && claims.iat == issued && claims.exp == issued + 6 * 3600)
            #expect(claims.organization == "acme", "an unrestricted key's token names its organization")

            let events = try await server.store.auditEvents(
                AuditFilter(orgID: owner.organization.id, action: "access_token.minted"), page: 1, pageSize: 5)
            #expect(events.items.map(\.target.id) == ["support"])
            #expect(!events.items[0].details.values.contains { $0.contains(owner.token) })

            // A key restricted to the organization writes LiveKit's claims only; ttl as a duration.
            let restricted = try await Fixture.make(server.store, email: "r@example.com", handle: "beta", restricted: true)
            let short = try Self.minted(
                try await server.request(
                    .post, Self.path, authorization: "Bearer \(restricted.token)", orgHandle: "beta",
                    json: #"{"room_name": "support", "participant_identity": "agent", "ttl": "10m"}"#))
            let shortClaims = try AccessTokenVerifier(keyID: restricted.key.keyId, secret: restricted.token)
                .verify(short.participantToken, now: now)
            #expect(shortClaims.organization == nil && shortClaims.exp == issued + 600)

            // Any header the auth check admits signs with its key: a tab after the scheme too.
            let tabbed = try Self.minted(
                try await server.request(
                    .post, Self.path, authorization: "token\t\(owner.token)", orgHandle: "acme",
                    json: #"{"room_name": "support", "participant_identity": "tab"}"#))
            let tabbedClaims = try AccessTokenVerifier(keyID: owner.key.keyId, secret: owner.token)
                .verify(tabbed.participantToken, now: now)
            #expect(tabbedClaims.sub == "tab")

            // The SDK mints the same way, over real HTTP.
            let client = UnpodClient(baseURL: "http://127.0.0.1:\(server.port)", token: owner.token, orgHandle: "acme")
            let viaSDK = try await client.mintAccessToken(
                .init(roomName: "sales", participantIdentity: "sdk", grants: VideoGrant(roomJoin: true, hidden: true), ttl: .case1(60)))
            let sdkClaims = try AccessTokenVerifier(keyID: owner.key.keyId, secret: owner.token).verify(viaSDK.participantToken, now: now)
            #expect(sdkClaims.video?.room == "sales" && sdkClaims.video?.hidden == true && sdkClaims.exp == issued + 60)
        }
    }

    @Test(arguments: TestDatabase.all)
    func scopesTTLAndRoomsAreChecked(_ engine: TestDatabase) async throws {
        try await withServer(engine, configure: { $0.maxAccessTokenTTL = 3600; $0.publicURL = "https://rtc.example.com" }) { server in
            let owner = try await Fixture.make(server.store)
            let writer = try await server.store.createAPIKey(
                userID: owner.user.id, name: "writer", scopes: [.read, .write], organization: nil, expiresAt: nil)
            let reader = try await server.store.createAPIKey(
                userID: owner.user.id, name: "reader", scopes: [.read], organization: nil, expiresAt: nil)
            func mint(_ token: String, _ json: String, org: String? = "acme") async throws -> TestResponse {
                try await server.request(.post, Self.path, authorization: "Token \(token)", orgHandle: org, json: json)
            }
            let plain = #"{"room_name": "r", "participant_identity": "p"}"#
            expectError(try await mint(reader.token, plain), .permissionDenied)
            #expect(try Self.minted(try await mint(writer.token, plain)).serverUrl == "wss://rtc.example.com")
            let admin = #"{"room_name": "r", "participant_identity": "p", "grants": {"roomJoin": true, "roomAdmin": true}}"#
            expectError(try await mint(writer.token, admin), .permissionDenied)
            let adminToken = try Self.minted(try await mint(owner.token, admin)).participantToken
            #expect(try AccessTokenVerifier(keyID: owner.key.keyId, secret: owner.token)
                .verify(adminToken, now: server.clock.now()).video?.roomAdmin == true)
            expectError(try await mint(writer.token, plain, org: nil), .orgHandleRequired)
            _ = try await Fixture.make(server.store, email: "b@example.com", handle: "beta")
            expectError(try await mint(writer.token, plain, org: "beta"), .invalidOrganization)

            for bad in [
                #"{"room_name": "r", "ttl": 3601}"#, #"{"room_name": "r", "ttl": "2h"}"#, #"{"room_name": "r", "ttl": 0}"#,
                #"{"room_name": "r", "ttl": "soon"}"#, #"{"room_name": "r", "grants": {"roomJoin": true, "room": "other"}}"#,
                #"{"room_name": ""}"#, #"{"participant_identity": 7}"#, #"{"room_config": []}"#,
                #"{"grants": {"roomAdmin": "yes"}}"#,
            ] {
                let response = try await mint(owner.token, bad)
                #expect(response.status == .badRequest, "\(bad): \(response.text)")
                #expect(response.error?.code == "invalid_parameters")
            }
            // No room named: one is made up, and the identity too.
            let made = try Self.minted(try await mint(writer.token, "{}")).participantToken
            let claims = try AccessTokenVerifier(keyID: writer.keyId, secret: writer.token).verify(made, now: server.clock.now())
            #expect(claims.video?.room?.hasPrefix("room-") == true && claims.sub.hasPrefix("participant-"))
        }
    }
}
