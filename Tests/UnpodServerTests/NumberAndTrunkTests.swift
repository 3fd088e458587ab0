import Foundation
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// NUM-1 and TRK-1…6 (issue 6, items 2 and 5): numbers provisioned by the operator, trunks made
/// over the API, numbers moved onto and off trunks with one result per number; isolation.
@Suite struct NumberAndTrunkTests {
    static let numbers = "/api/v2/platform/telephony/numbers/"
    static let trunks = "/api/v2/platform/telephony/trunks/"

    static func seed(_ store: SQLStore) async throws -> (Fixture, Fixture, [PhoneNumber]) {
        let owner = try await Fixture.make(store)
        let other = try await Fixture.make(store, email: "b@example.com", handle: "beta")
        let twilio = try #require(try await store.provider(.slug("twilio")))
        let added = try await store.addNumbers(["+14155550101", "+14155550102"], orgID: owner.organization.id, provider: twilio)
        _ = try await store.addNumbers(["+442071230000"], orgID: other.organization.id, provider: twilio)
        return (owner, other, added)
    }

    @Test(arguments: TestDatabase.all)
    func numbersAreTheOrganizationsOwnAndProvisionedAllOrNothing(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let (owner, other, added) = try await Self.seed(server.store)
            let listed = try await server.get(Self.numbers, token: owner.token, orgHandle: "acme")
            let list = try listed.decode(ListEnvelope<Components.Schemas.Number>.self)
            #expect(list.message == "Numbers fetched successfully." && list.count == 2)
            #expect(list.data.map(\.number) == ["+14155550101", "+14155550102"])
            let first = try #require(list.data.first)
            #expect(first.provider == "twilio" && first.status == .active && first.state == .notAssigned && first.active)
            #expect(first.bridgeSlug == nil && first.id == added[0].id)
            #expect(listed.text.contains(#""bridge_slug":null"#), "unset values go out as null")
            let beta = try await server.get(Self.numbers, token: other.token, orgHandle: "beta")
            #expect(try beta.decode(ListEnvelope<Components.Schemas.Number>.self).data.map(\.number) == ["+442071230000"])
            expectError(try await server.get(Self.numbers, token: other.token, orgHandle: "acme"), .invalidOrganization)

            // A duplicate anywhere, or a malformed number, adds nothing.
            let twilio = try #require(try await server.store.provider(.slug("twilio")))
            await #expect(throws: StoreError.self) {
                try await server.store.addNumbers(["+14155550199", "+442071230000"], orgID: owner.organization.id, provider: twilio)
            }
            await #expect(throws: StoreError.self) {
                try await server.store.addNumbers(["+14155550198", "0044207"], orgID: owner.organization.id, provider: twilio)
            }
            #expect(try await server.store.numbers(orgID: owner.organization.id, page: 1, pageSize: 10).count == 2)
            await #expect(throws: StoreError.self) {
                try await server.store.releaseNumbers(["+14155550101", "+442071230000"], orgID: owner.organization.id)
            }
            #expect(try await server.store.numbers(orgID: owner.organization.id, page: 1, pageSize: 10).count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func trunksCarryNumbersOneAtATime(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let (owner, other, added) = try await Self.seed(server.store)
            let auth = "Token \(owner.token)"
            let body = #"{"name": "Carrier", "sip_url": "sip:carrier.example.com", "auth_username": "unpod", "auth_password": "carrier-password-0123", "port": "5061", "source_ips": ["203.0.113.0/24", "198.51.100.7"]}"#
            let created = try await server.request(.post, Self.trunks, authorization: auth, orgHandle: "acme", json: body)
            #expect(created.status.code == 201, "\(created.text)")
            let trunk = try created.decode(ObjectEnvelope<Components.Schemas.Trunk>.self)
            #expect(trunk.message == "Trunk created successfully." && trunk.statusCode == 201)
            #expect(trunk.data.transport == .tls && trunk.data.port == "5061" && trunk.data.authPassword == "••••0123")
            #expect(trunk.data.allowedIps == "203.0.113.0/24,198.51.100.7" && trunk.data.numbers.isEmpty)
            #expect(!created.text.contains("carrier-password-0123"))
            let second = try await server.request(
                .post, Self.trunks, authorization: auth, orgHandle: "acme",
                json: #"{"name": "Backup", "sip_url": "sip:backup.example.com", "transport": "udp"}"#)
            let backup = try second.decode(ObjectEnvelope<Components.Schemas.Trunk>.self).data
            #expect(backup.port == "5060" && backup.authPassword == nil)

            let path = Self.trunks + "\(trunk.data.id)/"
            let ids = added.map(\.id)
            let attach = try await server.request(
                .post, path + "attach-numbers/", authorization: auth, orgHandle: "acme",
                json: #"{"number_ids": [\#(ids[0]), \#(ids[1]), 999999]}"#)
            #expect(attach.status.code == 201, "\(attach.text)")
            let results = try attach.decode(ObjectEnvelope<Components.Schemas.TrunkNumbersResult>.self).data
            #expect(results.trunkId == trunk.data.id && results.numbers.map(\.ok) == [true, true, false])
            #expect(results.numbers.map(\.numberId) == [ids[0], ids[1], 999999])
            #expect(results.numbers[2].error.value == "Number not found.")
            let shown = try await server.get(path, token: owner.token, orgHandle: "acme")
            #expect(try shown.decode(ObjectEnvelope<Components.Schemas.Trunk>.self).data.numbers == ["+14155550101", "+14155550102"])
            let assigned = try await server.get(Self.numbers, token: owner.token, orgHandle: "acme")
            #expect(try assigned.decode(ListEnvelope<Components.Schemas.Number>.self).data.allSatisfy { $0.state == .assigned && $0.trunkId.value == trunk.data.id })
            let unassignedOnly = try await server.get(Self.numbers + "?include_assigned=false", token: owner.token, orgHandle: "acme")
            #expect(try unassignedOnly.decode(ListEnvelope<Components.Schemas.Number>.self).count == 0)

            // A number is on one trunk at a time: the other trunk gets a per-number refusal, so 400.
            let onBoth = try await server.request(
                .post, Self.trunks + "\(backup.id)/attach-numbers/", authorization: auth, orgHandle: "acme",
                json: #"{"number_ids": [\#(ids[0])]}"#)
            #expect(onBoth.status == .badRequest && onBoth.error?.message == "No number was attached.")
            // Another organization's number is unknown here.
            let foreign = try await server.store.numbers(orgID: other.organization.id, page: 1, pageSize: 5).items[0].id
            let stolen = try await server.request(
                .post, path + "attach-numbers/", authorization: auth, orgHandle: "acme", json: #"{"number_ids": [\#(foreign)]}"#)
            #expect(stolen.status == .badRequest)

            let detach = try await server.request(
                .post, path + "detach-numbers/", authorization: auth, orgHandle: "acme", json: #"{"number_ids": [\#(ids[0])]}"#)
            #expect(detach.status == .ok)
            #expect(try detach.decode(ObjectEnvelope<Components.Schemas.TrunkNumbersResult>.self).message == "Numbers detached from trunk.")

            // Deleting the trunk releases its numbers in the same transaction.
            #expect(try await server.request(.delete, path, authorization: auth, orgHandle: "acme").status == .noContent)
            expectError(try await server.get(path, token: owner.token, orgHandle: "acme"), .notFound("Trunk not found."))
            let after = try await server.store.numbers(orgID: owner.organization.id, page: 1, pageSize: 5).items
            #expect(after.allSatisfy { $0.trunkId == nil && $0.state == "NOT_ASSIGNED" })

            // Isolation and roles.
            expectError(try await server.get(Self.trunks + "\(backup.id)/", token: other.token, orgHandle: "beta"), .notFound("Trunk not found."))
            expectError(try await server.get(Self.trunks, token: other.token, orgHandle: "acme"), .invalidOrganization)
            let member = try await server.store.createUser(email: "m@example.com", password: "long enough password")
            try await server.store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
            let memberKey = try await server.store.createAPIKey(userID: member.id, name: "m", scopes: .all, organization: nil, expiresAt: nil)
            #expect(try await server.get(Self.trunks, token: memberKey.token, orgHandle: "acme").status == .ok)
            expectError(
                try await server.request(.post, Self.trunks, authorization: "Token \(memberKey.token)", orgHandle: "acme", json: body),
                .permissionDenied)

            for bad in [
                #"{"sip_url": "sip:x.example.com"}"#, #"{"name": "x", "sip_url": "http://x"}"#,
                #"{"name": "x", "sip_url": "sip:x.example.com", "port": "70000"}"#,
                #"{"name": "x", "sip_url": "sip:x.example.com", "transport": "carrier-pigeon"}"#,
                #"{"name": "x", "sip_url": "sip:x.example.com", "source_ips": ["not-an-ip"]}"#,
            ] {
                let response = try await server.request(.post, Self.trunks, authorization: auth, orgHandle: "acme", json: bad)
                #expect(response.status == .badRequest && response.error?.code == "invalid_parameters", "\(bad)")
            }
            let events = try await server.store.auditEvents(AuditFilter(orgID: owner.organization.id), page: 1, pageSize: 50)
            let actions = Set(events.items.map(\.action))
            #expect(actions.isSuperset(of: ["number.added", "trunk.created", "trunk.numbers_attached", "trunk.numbers_detached", "trunk.deleted"]))
            let stored = try await SecretsAtRestTests.storedBytes(server.database)
            #expect(stored.range(of: Data("carrier-password-0123".utf8)) == nil, "the trunk password is sealed")
        }
    }
}
