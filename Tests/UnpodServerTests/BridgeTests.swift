import Foundation
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// BRG-1…7 (issue 6, item 1): create, list, get, update with the lifecycle rules, connect and
/// disconnect a provider in both documented variants, delete releasing numbers and the provider.
@Suite struct BridgeTests {
    static let bridges = "/api/v2/platform/telephony/bridges/"

    @Test(arguments: TestDatabase.all)
    func lifecycle(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let (owner, other, added) = try await NumberAndTrunkTests.seed(server.store)
            let auth = "Token \(owner.token)"
            let created = try await server.request(
                .post, Self.bridges, authorization: auth, orgHandle: "acme",
                json: #"{"name": "Support Line", "description": "Inbound support", "region": "us"}"#)
            #expect(created.status.code == 201, "\(created.text)")
            let bridge = try created.decode(ObjectEnvelope<Components.Schemas.Bridge>.self)
            #expect(bridge.message == "Bridge created successfully." && bridge.data.status == .DRAFT)
            #expect(bridge.data.slug.range(of: #"^support-line-[a-z]{8}$"#, options: .regularExpression) != nil, "\(bridge.data.slug)")
            #expect(bridge.data.region == "US" && bridge.data.numbers.isEmpty && bridge.data.provider == nil)
            #expect(bridge.data.organization.domainHandle == "acme" && bridge.data.documentsStatus == "pending")
            let slug = bridge.data.slug
            let path = Self.bridges + slug + "/"

            let named = try await server.request(
                .post, Self.bridges, authorization: auth, orgHandle: "acme", json: #"{"name": "Sales", "slug": "sales"}"#)
            #expect(named.status.code == 201)
            let duplicate = try await server.request(
                .post, Self.bridges, authorization: auth, orgHandle: "acme", json: #"{"name": "Sales 2", "slug": "sales"}"#)
            #expect(duplicate.status == .conflict && duplicate.error?.message == "Bridge creation failed.")
            #expect(duplicate.error?.errors == "Slug already exists")
            let nameless = try await server.request(.post, Self.bridges, authorization: auth, orgHandle: "acme", json: #"{"slug": "x"}"#)
            #expect(nameless.status == .badRequest && nameless.error?.message == "Bridge creation failed.")
            // The same slug in another organization is another bridge.
            #expect(try await server.request(
                .post, Self.bridges, authorization: "Token \(other.token)", orgHandle: "beta", json: #"{"name": "Sales", "slug": "sales"}"#
            ).status.code == 201)

            // ACTIVE needs a provider and a number.
            let early = try await server.request(.patch, path, authorization: auth, orgHandle: "acme", json: #"{"status": "ACTIVE"}"#)
            #expect(early.status == .badRequest && early.error?.message == "Bridge update failed.")
            let badStatus = try await server.request(.patch, path, authorization: auth, orgHandle: "acme", json: #"{"status": "LIVE"}"#)
            #expect(badStatus.error?.errors == "Invalid status value")
            let slugChange = try await server.request(.patch, path, authorization: auth, orgHandle: "acme", json: #"{"slug": "other"}"#)
            #expect(slugChange.status == .badRequest)

            let configuration = try await server.request(
                .post, ProviderConfigurationTests.configurations, authorization: auth, orgHandle: "acme",
                json: #"{"provider": "twilio", "account_sid": "AC0123456789abcdef", "auth_token": "token-0123456789abcdef"}"#
            ).decode(ObjectEnvelope<Components.Schemas.ProviderConfiguration>.self).data
            // Variant B: a configuration and one of its provider's numbers.
            let connected = try await server.request(
                .post, path + "connect-provider/", authorization: auth, orgHandle: "acme",
                json: #"{"provider_config_id": \#(configuration.id), "phone_number": "+14155550101"}"#)
            #expect(connected.status == .ok, "\(connected.text)")
            let result = try connected.decode(ObjectEnvelope<Components.Schemas.BridgeProviderResult>.self)
            #expect(result.message == "Provider connected to bridge successfully.")
            #expect(result.data.bridgeSlug == slug && result.data.phoneNumber.value == "+14155550101")
            #expect(result.data.providerCredential.value?.id == configuration.id && result.data.providerCredential.value?.providerDetails.name == "Twilio")
            // Variant A on another bridge with the same configuration.
            let variantA = try await server.request(
                .post, Self.bridges + "sales/connect-provider/", authorization: auth, orgHandle: "acme",
                json: #"{"provider_credential_id": \#(configuration.id)}"#)
            #expect(variantA.status == .ok)
            let wrongNumber = try await server.request(
                .post, path + "connect-provider/", authorization: auth, orgHandle: "acme",
                json: #"{"provider_config_id": \#(configuration.id), "phone_number": "+442071230000"}"#)
            #expect(wrongNumber.status == .badRequest && wrongNumber.error?.message == "Failed to connect provider.")

            let active = try await server.request(.patch, path, authorization: auth, orgHandle: "acme", json: #"{"status": "ACTIVE", "name": "Support"}"#)
            #expect(active.status == .ok)
            let shown = try await server.get(path, token: owner.token, orgHandle: "acme").decode(ObjectEnvelope<Components.Schemas.Bridge>.self)
            #expect(shown.message == "Bridge fetched successfully." && shown.data.status == .ACTIVE && shown.data.name == "Support")
            #expect(shown.data.numbers.map(\.number) == ["+14155550101"] && shown.data.provider == "twilio")
            #expect(shown.data.numbers.first?.numberId == added[0].id && shown.data.numbers.first?.state == "ASSIGNED")
            let listed = try await server.get(Self.bridges, token: owner.token, orgHandle: "acme").decode(ListEnvelope<Components.Schemas.Bridge>.self)
            #expect(listed.message == "Bridges fetched successfully." && listed.count == 2)

            // A configuration in use cannot be deleted.
            let inUse = try await server.request(
                .delete, ProviderConfigurationTests.configurations + "\(configuration.id)/", authorization: auth, orgHandle: "acme")
            #expect(inUse.status == .conflict)

            // Variant B disconnect takes the number off; deleting releases the rest in one transaction.
            let off = try await server.request(
                .post, path + "disconnect-provider/", authorization: auth, orgHandle: "acme", json: #"{"phone_number": "+14155550101"}"#)
            #expect(off.status == .ok)
            let offMessage = try off.decode(ObjectEnvelope<Components.Schemas.BridgeProviderResult>.self).message
            #expect(offMessage == "Provider disconnected from bridge successfully.")
            let notOn = try await server.request(
                .post, path + "disconnect-provider/", authorization: auth, orgHandle: "acme", json: #"{"phone_number": "+14155550101"}"#)
            #expect(notOn.status == .badRequest && notOn.error?.errors == "Phone number is not connected to this bridge")
            #expect(try await server.request(
                .post, path + "connect-provider/", authorization: auth, orgHandle: "acme",
                json: #"{"provider_config_id": \#(configuration.id), "phone_number": "+14155550102"}"#).status == .ok)
            #expect(try await server.request(.delete, path, authorization: auth, orgHandle: "acme").status == .noContent)
            let gone = try await server.get(path, token: owner.token, orgHandle: "acme")
            #expect(gone.status == .notFound && gone.error?.message == "Bridge not found.")
            #expect(gone.error?.errors == "No bridge exists with the provided slug")
            let numbers = try await server.store.numbers(orgID: owner.organization.id, page: 1, pageSize: 5).items
            #expect(numbers.allSatisfy { $0.bridgeSlug == nil && $0.state == "NOT_ASSIGNED" }, "no number points at a deleted bridge")
            // Variant A disconnect unlinks the provider from the other bridge; then the configuration may go.
            #expect(try await server.request(
                .post, Self.bridges + "sales/disconnect-provider/", authorization: auth, orgHandle: "acme",
                json: #"{"provider_credential_id": \#(configuration.id)}"#).status == .ok)
            #expect(try await server.request(
                .delete, ProviderConfigurationTests.configurations + "\(configuration.id)/", authorization: auth, orgHandle: "acme"
            ).status == .noContent)

            // Isolation: beta's key never reaches acme's bridge by slug.
            expectError(try await server.get(Self.bridges + "sales/", token: other.token, orgHandle: "acme"), .invalidOrganization)
            let betaSales = try await server.get(Self.bridges + "sales/", token: other.token, orgHandle: "beta").decode(ObjectEnvelope<Components.Schemas.Bridge>.self)
            #expect(betaSales.data.organization.domainHandle == "beta" && betaSales.data.provider == nil)
            let events = try await server.store.auditEvents(AuditFilter(orgID: owner.organization.id), page: 1, pageSize: 100)
            #expect(Set(events.items.map(\.action)).isSuperset(of: [
                "bridge.created", "bridge.updated", "bridge.deleted", "bridge.provider_connected", "bridge.provider_disconnected",
            ]))
        }
    }
}
