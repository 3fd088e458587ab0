import Foundation
import HTTPTypes
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// PRV-1 and CFG-1…5 (issue 6, item 3): the catalog, the configurations' shapes and messages,
/// masked and sealed credentials, roles and isolation between organizations.
@Suite struct ProviderConfigurationTests {
    static let providers = "/api/v2/platform/telephony/providers/"
    static let configurations = "/api/v2/platform/telephony/providers-configurations/"
    static let sid = "AC0123456789abcdef0123456789abcdef"
    static let secret = "s3cr3t-auth-token-0123456789abcd"

    @Test(arguments: TestDatabase.all)
    func theCatalogListsTheSeededProviders(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            let response = try await server.get(Self.providers, token: fixture.token)
            #expect(response.status == .ok)
            let list = try response.decode(ListEnvelope<Components.Schemas.Provider>.self)
            #expect(list.message == "Voice infra providers fetched successfully.")
            #expect(list.data.map(\.slug) == ["livekit", "twilio", "plivo", "exotel", "vonage", "telnyx"])
            #expect(list.count == 6 && list.data.allSatisfy { !$0.description.isEmpty && $0._type == "TELEPHONY" })
            let page = try await server.get(Self.providers + "?page=2&page_size=4", token: fixture.token)
            #expect(try page.decode(ListEnvelope<Components.Schemas.Provider>.self).data.map(\.slug) == ["vonage", "telnyx"])
            expectError(try await server.get(Self.providers, token: fixture.token, orgHandle: "nobody"), .invalidOrganization)
        }
    }

    @Test(arguments: TestDatabase.all)
    func createReadUpdateDeleteWithMaskedCredentials(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            let auth = "Token \(fixture.token)"
            // P1 vocabulary, provider by slug.
            let created = try await server.request(
                .post, Self.configurations, authorization: auth, orgHandle: "acme",
                json: #"{"provider": "twilio", "account_sid": "\#(Self.sid)", "auth_token": "\#(Self.secret)", "sip_url": "sip:unpod@example.com"}"#)
            #expect(created.status.code == 201, "\(created.text)")
            let envelope = try created.decode(ObjectEnvelope<Components.Schemas.ProviderConfiguration>.self)
            #expect(envelope.statusCode == 201 && envelope.message == "Provider configuration created successfully.")
            let configuration = envelope.data
            #expect(configuration.name == "Twilio" && configuration.provider == 2 && configuration.providerSlug == "twilio")
            #expect(configuration.providerDetails.name == "Twilio" && configuration.orgHandle == "acme")
            #expect(configuration.accountSid == "••••cdef" && configuration.apiKey == "••••cdef")
            #expect(configuration.authToken == "••••abcd" && configuration.apiSecret == "••••abcd")
            #expect(configuration.sipUrl == "sip:unpod@example.com" && configuration.baseUrl == nil && configuration.active)
            #expect(!created.text.contains(Self.sid) && !created.text.contains(Self.secret))

            // P2 vocabulary, provider by id.
            let second = try await server.request(
                .post, Self.configurations, authorization: auth, orgHandle: "acme",
                json: #"{"name": "Plivo", "provider": 3, "api_key": "MAKEY", "api_secret": "short", "meta_json": [{"meta_key": "region", "meta_value": "in"}]}"#)
            #expect(second.status.code == 201)
            let plivo = try second.decode(ObjectEnvelope<Components.Schemas.ProviderConfiguration>.self).data
            #expect(plivo.apiKey == "••••" && plivo.apiSecret == "••••", "short values are masked whole")
            #expect(plivo.metaJson == [.init(metaKey: "region", metaValue: "in")])

            let list = try await server.get(Self.configurations, token: fixture.token, orgHandle: "acme")
            let listed = try list.decode(ListEnvelope<Components.Schemas.ProviderConfiguration>.self)
            #expect(listed.message == "Provider configurations fetched successfully.")
            #expect(listed.count == 2 && listed.data.map(\.id) == [configuration.id, plivo.id])

            let path = Self.configurations + "\(configuration.id)/"
            let shown = try await server.get(path, token: fixture.token, orgHandle: "acme")
            #expect(try shown.decode(ObjectEnvelope<Components.Schemas.ProviderConfiguration>.self).message == "Provider configuration fetched successfully.")

            let patched = try await server.request(
                .patch, path, authorization: auth, orgHandle: "acme",
                json: #"{"name": "Twilio prod", "auth_token": "rotated-token-0123456789wxyz", "active": false, "sip_url": ""}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            let updated = try patched.decode(ObjectEnvelope<Components.Schemas.ProviderConfiguration>.self)
            #expect(updated.message == "Provider configuration updated successfully.")
            #expect(updated.data.name == "Twilio prod" && updated.data.authToken == "••••wxyz" && !updated.data.active)
            #expect(updated.data.accountSid == "••••cdef" && updated.data.sipUrl == nil, "omitted keys unchanged, empty clears")

            let deleted = try await server.request(.delete, path, authorization: auth, orgHandle: "acme")
            #expect(deleted.status == .noContent && deleted.text.isEmpty)
            expectError(
                try await server.get(path, token: fixture.token, orgHandle: "acme"),
                .notFound("Provider configuration not found."))

            let events = try await server.store.auditEvents(AuditFilter(orgID: fixture.organization.id), page: 1, pageSize: 50)
            let actions = events.items.map(\.action).filter { $0.hasPrefix("provider_configuration.") }
            #expect(actions == ["provider_configuration.deleted", "provider_configuration.updated",
                                "provider_configuration.created", "provider_configuration.created"])

            // Sealed at rest: neither credential is in the database's bytes.
            let stored = try await SecretsAtRestTests.storedBytes(server.database)
            for secret in [Self.sid, Self.secret, "rotated-token-0123456789wxyz"] {
                #expect(stored.range(of: Data(secret.utf8)) == nil, "\(secret) is stored in clear")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func documentedErrors(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            let auth = "Token \(fixture.token)"
            let body = #"{"provider": "twilio", "account_sid": "\#(Self.sid)", "auth_token": "\#(Self.secret)"}"#
            #expect(try await server.request(.post, Self.configurations, authorization: auth, orgHandle: "acme", json: body).status.code == 201)
            let duplicate = try await server.request(.post, Self.configurations, authorization: auth, orgHandle: "acme", json: body)
            #expect(duplicate.status == .conflict && duplicate.error?.code == "conflict")

            for (bad, detail) in [
                (#"{"account_sid": "x", "auth_token": "y"}"#, "provider is required"),
                (#"{"provider": "nope", "account_sid": "x", "auth_token": "y"}"#, "provider must be"),
                (#"{"provider": 2, "auth_token": "y"}"#, "account_sid (or api_key) is required"),
                (#"{"provider": 2, "account_sid": "x"}"#, "auth_token (or api_secret) is required"),
                (#"{"provider": 2, "account_sid": "x", "api_key": "z", "auth_token": "y"}"#, "differ"),
                (#"{"provider": 2, "account_sid": "x", "auth_token": "y", "base_url": "ftp://x"}"#, "base_url"),
                (#"{"provider": 2, "account_sid": 5, "auth_token": "y"}"#, "account_sid"),
                ("not json", "JSON"),
            ] {
                let response = try await server.request(.post, Self.configurations, authorization: auth, orgHandle: "acme", json: bad)
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.error?.message == "Provider configuration creation failed.")
                #expect(response.error?.errors?.contains(detail) == true, "\(bad): \(response.text)")
            }
            let id = try await server.store.providerConfigurations(orgID: fixture.organization.id, page: 1, pageSize: 5).items[0].id
            let changeProvider = try await server.request(
                .patch, Self.configurations + "\(id)/", authorization: auth, orgHandle: "acme", json: #"{"provider": "plivo"}"#)
            #expect(changeProvider.status == .badRequest && changeProvider.error?.message == "Provider configuration update failed.")
            for path in ["999999/", "abc/", "0/"] {
                expectError(
                    try await server.get(Self.configurations + path, token: fixture.token, orgHandle: "acme"),
                    .notFound("Provider configuration not found."))
            }
            expectError(try await server.get(Self.configurations, token: fixture.token), .orgHandleRequired)
            #expect(try await server.store.providerConfigurations(orgID: fixture.organization.id, page: 1, pageSize: 5).count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func rolesAndIsolation(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            let other = try await Fixture.make(server.store, email: "b@example.com", handle: "beta")
            let created = try await server.request(
                .post, Self.configurations, authorization: "Token \(owner.token)", orgHandle: "acme",
                json: #"{"provider": "telnyx", "api_key": "KEY0123456789", "api_secret": "SECRET0123456789"}"#)
            let id = try created.decode(ObjectEnvelope<Components.Schemas.ProviderConfiguration>.self).data.id
            let path = Self.configurations + "\(id)/"

            // Another organization: 403 for acme's handle, 404 for acme's id under its own handle.
            expectError(try await server.get(Self.configurations, token: other.token, orgHandle: "acme"), .invalidOrganization)
            expectError(try await server.get(path, token: other.token, orgHandle: "beta"), .notFound("Provider configuration not found."))
            expectError(
                try await server.request(.patch, path, authorization: "Token \(other.token)", orgHandle: "beta", json: #"{"name": "x"}"#),
                .notFound("Provider configuration not found."))
            expectError(
                try await server.request(.delete, path, authorization: "Token \(other.token)", orgHandle: "beta"),
                .notFound("Provider configuration not found."))
            let betaList = try await server.get(Self.configurations, token: other.token, orgHandle: "beta")
            #expect(try betaList.decode(ListEnvelope<Components.Schemas.ProviderConfiguration>.self).count == 0)

            // A member reads, but cannot write; an owner with a read-only key cannot write either.
            let member = try await server.store.createUser(email: "m@example.com", password: "long enough password")
            try await server.store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
            let memberKey = try await server.store.createAPIKey(
                userID: member.id, name: "m", scopes: .all, organization: nil, expiresAt: nil)
            #expect(try await server.get(path, token: memberKey.token, orgHandle: "acme").status == .ok)
            expectError(
                try await server.request(.patch, path, authorization: "Token \(memberKey.token)", orgHandle: "acme", json: #"{"name": "x"}"#),
                .permissionDenied)
            expectError(
                try await server.request(.delete, path, authorization: "Token \(memberKey.token)", orgHandle: "acme"),
                .permissionDenied)
            let readKey = try await server.store.createAPIKey(
                userID: owner.user.id, name: "r", scopes: [.read], organization: nil, expiresAt: nil)
            expectError(
                try await server.request(.delete, path, authorization: "Token \(readKey.token)", orgHandle: "acme"),
                .permissionDenied)
            #expect(try await server.store.providerConfiguration(id, orgID: owner.organization.id)?.name == "Telnyx")
        }
    }
}
