import Foundation
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The Swift SDK over real HTTP for the telephony endpoints (issue 6, item 7): typed models in
/// and out, and the server's errors thrown as ``APIError``.
@Suite struct TelephonyClientTests {
    @Test(arguments: TestDatabase.all)
    func theSDKDrivesTheTelephonyEndpoints(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let (owner, _, added) = try await NumberAndTrunkTests.seed(server.store)
            let client = UnpodClient(baseURL: "http://127.0.0.1:\(server.port)", token: owner.token, orgHandle: "acme")
            #expect(try await client.providers().count == 6)
            let configuration = try await client.createProviderConfiguration(
                .init(name: "Main", provider: .case2("twilio"), accountSid: "AC0123456789abcdef", authToken: "token-0123456789abcdef"))
            #expect(configuration.authToken == "••••cdef")
            #expect(try await client.providerConfigurations().count == 1)
            #expect(try await client.updateProviderConfiguration(configuration.id, .init(active: false)).active == false)
            _ = try await client.updateProviderConfiguration(configuration.id, .init(active: true))

            let bridge = try await client.createBridge(.init(name: "Support", slug: "support"))
            let connected = try await client.connectProvider(
                bridge.slug, .init(providerConfigId: configuration.id, phoneNumber: "+14155550101"))
            #expect(connected.providerCredential.value?.id == configuration.id)
            #expect(try await client.updateBridge("support", .init(status: "ACTIVE")).status == .ACTIVE)
            #expect(try await client.bridges().data.map(\.slug) == ["support"])
            #expect(try await client.bridge("support").numbers.map(\.number) == ["+14155550101"])

            let attached = try await client.attachNumbers(.init(numbers: ["+14155550102"], bridgeSlug: "support"))
            #expect(attached.numbers.map(\.ok) == [true])
            #expect(try await client.telephonyOverview().map(\.bridgeSlug.value) == ["support", "support"])
            #expect(try await client.detachNumbers(["+14155550102"]).numbers.map(\.ok) == [true])
            #expect(try await client.numbers(includeAssigned: false).data.map(\.number) == ["+14155550102"])

            let trunk = try await client.createTrunk(.init(name: "Carrier", sipUrl: "sip:carrier.example.com", port: .case1("5060")))
            #expect(try await client.attachTrunkNumbers(trunk.id, .init(numberIds: [added[1].id])).numbers.map(\.ok) == [true])
            #expect(try await client.trunk(trunk.id).numbers == ["+14155550102"])
            #expect(try await client.detachTrunkNumbers(trunk.id, .init(numberIds: [added[1].id])).numbers.map(\.ok) == [true])
            try await client.deleteTrunk(trunk.id)
            #expect(try await client.trunks().count == 0)

            #expect(try await client.voiceProfiles(language: "hi").count == 2)
            #expect(try await client.voiceProfile("VP_openai_nova").persona == "Nova")
            let call = Components.Schemas.ReportCallLogRequest(
                callId: "sdk-1", sourceNumber: "+14155550101", destinationNumber: "+919876543210", callType: .inbound,
                callStatus: .missed, creationTime: server.clock.now().addingTimeInterval(-60))
            let reported = try await client.reportCallLog(call)
            #expect(try await client.reportCallLog(call) == reported, "a retry returns the stored row")
            #expect(try await client.auditLog(action: .bridge_created).count == 1)

            try await client.deleteBridge("support")
            await #expect(throws: APIError.self) { try await client.bridge("support") }
            try await client.deleteProviderConfiguration(configuration.id)
            await #expect(throws: APIError.self) { try await client.providerConfiguration(configuration.id) }
        }
    }
}
