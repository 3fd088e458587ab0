import Foundation
import HTTPTypes
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

@Suite struct KeyLifecycleTests {
    @Test(arguments: TestDatabase.all)
    func aCreatedKeyWorksAtOnceAndADeletedOneIsRefusedOnTheNextRequest(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            let created = try await server.request(
                .post, Paths.keys, authorization: "Token \(admin.token)", json: #"{"name": "ci", "scopes": ["read"]}"#)
            #expect(created.status == .created)
            let envelope = try created.decode(ObjectEnvelope<Components.Schemas.CreatedAPIKey>.self)
            #expect(envelope.statusCode == 201)
            let key = envelope.data
            #expect(APIKeyToken.parse(key.token)?.keyID == key.keyId)
            #expect(key.scopes == [.read] && key.name == "ci" && key.orgHandle == nil)

            #expect(try await server.get(Paths.organizations, token: key.token).status == .ok)

            let list = try await server.get(Paths.keys, token: admin.token)
            #expect(list.status == .ok)
            #expect(!list.text.contains(key.token) && !list.text.contains(String(key.token.dropFirst(23))))
            let summaries = try list.decode(ListEnvelope<Components.Schemas.APIKey>.self).data
            #expect(Set(summaries.map(\.keyId)) == [admin.key.keyId, key.keyId])

            let deleted = try await server.request(.delete, Paths.keys + key.keyId + "/", authorization: "Token \(admin.token)")
            #expect(deleted.status == .noContent)
            #expect(deleted.body.readableBytes == 0)
            expectError(try await server.get(Paths.organizations, token: key.token), .invalidToken)
            let again = try await server.request(.delete, Paths.keys + key.keyId + "/", authorization: "Token \(admin.token)")
            #expect(again.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRotatedKeyWorksDuringItsGraceWithADeprecationHeaderAndIsForbiddenAfter(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            let response = try await server.request(
                .post, Paths.keys + admin.key.keyId + "/rotate/", authorization: "Token \(admin.token)",
                json: #"{"grace_period": "1h"}"#)
            #expect(response.status == .created)
            let rotated = try response.decode(ObjectEnvelope<Components.Schemas.CreatedAPIKey>.self).data
            #expect(rotated.replacesKeyId == admin.key.keyId)
            #expect(rotated.previousKeyGraceUntil == server.clock.now().addingTimeInterval(3600))

            let during = try await server.get(Paths.organizations, token: admin.token)
            #expect(during.status == .ok)
            #expect(during.headers[HTTPField.Name("Deprecation")!] == "@\(Int(server.clock.now().timeIntervalSince1970))")
            #expect(during.headers[HTTPField.Name("Sunset")!] == "Fri, 15 Jan 2027 09:00:00 GMT")
            let fresh = try await server.get(Paths.organizations, token: rotated.token)
            #expect(fresh.status == .ok)
            #expect(fresh.headers[HTTPField.Name("Deprecation")!] == nil)

            server.clock.advance(by: 3601)
            expectError(try await server.get(Paths.organizations, token: admin.token), .tokenExpired)
            #expect(try await server.get(Paths.organizations, token: rotated.token).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theDefaultGraceIs24Hours(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            let response = try await server.request(
                .post, Paths.keys + admin.key.keyId + "/rotate/", authorization: "Token \(admin.token)")
            let rotated = try response.decode(ObjectEnvelope<Components.Schemas.CreatedAPIKey>.self).data
            #expect(rotated.previousKeyGraceUntil == server.clock.now().addingTimeInterval(86_400))
            server.clock.advance(by: 86_399)
            #expect(try await server.get(Paths.organizations, token: admin.token).status == .ok)
            server.clock.advance(by: 2)
            expectError(try await server.get(Paths.organizations, token: admin.token), .tokenExpired)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aKeyCannotMakeAWiderKey(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            _ = try await server.store.createOrganization(name: "Two", handle: "two", ownerID: owner.user.id)
            let restricted = try await server.store.createAPIKey(
                userID: owner.user.id, name: "acme admin", scopes: [.read, .admin], organization: owner.organization,
                expiresAt: server.clock.now().addingTimeInterval(600))
            let auth = "Token \(restricted.token)"

            expectError(
                try await server.request(.post, Paths.keys, authorization: auth, json: #"{"scopes": ["write"]}"#),
                .permissionDenied)
            expectError(
                try await server.request(.post, Paths.keys, authorization: auth, json: #"{"org_handle": "two"}"#),
                .invalidOrganization)
            let made = try await server.request(.post, Paths.keys, authorization: auth, json: #"{"expires_in": "30d"}"#)
            #expect(made.status == .created)
            let key = try made.decode(ObjectEnvelope<Components.Schemas.CreatedAPIKey>.self).data
            #expect(key.scopes == [.read, .admin], "defaults to the creating key's scopes")
            #expect(key.orgHandle == "acme", "and to its organization")
            #expect(key.expiresAt.value == restricted.expiresAt, "and never outlives it")

            // The restricted key sees and manages only keys of its organization.
            let visible = try await server.get(Paths.keys, token: restricted.token).decode(ListEnvelope<Components.Schemas.APIKey>.self)
            #expect(Set(visible.data.map(\.keyId)) == [restricted.keyId, key.keyId])
            let hidden = try await server.request(.delete, Paths.keys + owner.key.keyId + "/", authorization: auth)
            #expect(hidden.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badBodiesAreRefusedInTheEnvelope(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            let auth = "Token \(admin.token)"
            for body in [
                "not json", #"{"scopes": ["root"]}"#, #"{"scopes": []}"#, #"{"expires_in": "soon"}"#,
                #"{"expires_at": "2000-01-01T00:00:00Z"}"#, #"{"expires_in": 60, "expires_at": "2099-01-01"}"#,
                #"{"name": ""}"#, "[]",
            ] {
                let response = try await server.request(.post, Paths.keys, authorization: auth, json: body)
                #expect(response.status == .badRequest, "body \(body): \(response.text)")
                #expect(response.json["status_code"] as? Int == 400)
                #expect(response.json["message"] as? String == "Invalid request parameters")
            }
            let keys = try await server.store.apiKeys(of: .anyone)
            #expect(keys.count == 1, "nothing was half-written")
            let malformed = try await server.request(.delete, Paths.keys + "not-a-key/", authorization: auth)
            #expect(malformed.status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func lastUsedIsRecordedInTheBackground(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            #expect(try await server.get(Paths.organizations, token: admin.token).status == .ok)
            try await eventually {
                try await server.store.apiKeys(of: .anyone).first?.lastUsedAt == server.clock.now()
            }
        }
    }
}
