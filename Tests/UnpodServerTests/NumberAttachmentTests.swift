import Foundation
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// NUM-2…4 (issue 6, item 5): attach and detach with partial success per number, an integer
/// `number_id` always, 201/200 when at least one moved and 400 when none did; the overview.
@Suite struct NumberAttachmentTests {
    static let attach = "/api/v2/platform/telephony/numbers/attach/"
    static let detach = "/api/v2/platform/telephony/numbers/detach/"
    static let overview = "/api/v2/platform/telephony/overview/"

    @Test(arguments: TestDatabase.all)
    func attachDetachAndOverview(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let (owner, other, added) = try await NumberAndTrunkTests.seed(server.store)
            let auth = "Token \(owner.token)"
            let response = try await server.request(
                .post, Self.attach, authorization: auth, orgHandle: "acme",
                json: #"{"numbers": ["+14155550101", "+442071230000", "555", "+14155550109"]}"#)
            #expect(response.status.code == 201, "\(response.text)")
            let envelope = try response.decode(ObjectEnvelope<Components.Schemas.AgentNumbersResult>.self)
            #expect(envelope.message == "Numbers attached to agent." && envelope.statusCode == 201)
            let results = envelope.data.numbers
            #expect(results.map(\.ok) == [true, false, false, false])
            #expect(results.map(\.numberId) == [added[0].id, 0, 0, 0], "another organization's number is unknown here")
            #expect(results[0].connectionState.value == "NOT_LINKED" && results[2].error.value == "Not an E.164 number.")

            // Attaching made the organization's default bridge; the overview shows where calls go.
            let rows = try await server.get(Self.overview, token: owner.token, orgHandle: "acme")
                .decode(ListEnvelope<Components.Schemas.NumberOverview>.self)
            #expect(rows.message == "Telephony overview fetched successfully.")
            let bridge = try #require(rows.data[0].bridgeSlug.value)
            #expect(bridge.hasPrefix("default-") && rows.data[0].terminationKind == "agent" && rows.data[1].bridgeSlug == nil)
            let listed = try await server.get(NumberAndTrunkTests.numbers, token: owner.token, orgHandle: "acme")
                .decode(ListEnvelope<Components.Schemas.Number>.self)
            #expect(listed.data.map(\.state.rawValue) == ["ASSIGNED", "NOT_ASSIGNED"])

            // Pipeline attachments need a pipe; an agent must exist; nothing attached is 400.
            let pipeline = try await server.request(
                .post, Self.attach, authorization: auth, orgHandle: "acme",
                json: #"{"numbers": ["+14155550102"], "attach_type": "pipeline", "pipe_id": "pipe_1", "bridge_slug": "\#(bridge)"}"#)
            #expect(pipeline.status.code == 201)
            let noPipe = try await server.request(
                .post, Self.attach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550102"], "attach_type": "pipeline"}"#)
            #expect(noPipe.status == .badRequest)
            let agent = try await server.request(
                .post, Self.attach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550102"], "agent_id": "asst_x"}"#)
            #expect(agent.status == .badRequest && agent.error?.message == "Agent not found for this organization.")
            // A published agent of the organization: the number attaches to it (once free of its pipeline).
            _ = try await server.request(
                .post, Self.detach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550102"]}"#)
            _ = try await server.store.createAgent(
                orgID: owner.organization.id, handle: "front-desk", name: "Front desk", type: "Voice", purpose: "", voiceProfileID: nil,
                publish: true, actor: .cli)
            _ = try await server.store.createAgent(
                orgID: owner.organization.id, handle: "draft-desk", name: "Draft", type: "Voice", purpose: "", voiceProfileID: nil,
                publish: false, actor: .cli)
            let toDraft = try await server.request(
                .post, Self.attach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550102"], "agent_id": "draft-desk"}"#)
            #expect(toDraft.status == .badRequest && toDraft.error?.message == "Agent not found for this organization.")
            let toAgent = try await server.request(
                .post, Self.attach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550102"], "agent_id": "front-desk"}"#)
            #expect(toAgent.status.code == 201, "\(toAgent.text)")
            let attachedToAgent = try toAgent.decode(ObjectEnvelope<Components.Schemas.AgentNumbersResult>.self).data
            #expect(attachedToAgent.agentId.value == "front-desk" && attachedToAgent.numbers.map(\.ok) == [true])
            let overviewAfter = try await server.get(Self.overview, token: owner.token, orgHandle: "acme")
                .decode(ListEnvelope<Components.Schemas.NumberOverview>.self)
            #expect(overviewAfter.data.first { $0.number == "+14155550102" }?.agentId.value == "front-desk")
            _ = try await server.request(
                .post, Self.detach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550102"]}"#)
            let again = try await server.request(
                .post, Self.attach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+442071230000"]}"#)
            #expect(again.status == .badRequest && again.error?.message == "No number was attached.")
            let unknownBridge = try await server.request(
                .post, Self.attach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550101"], "bridge_slug": "nope"}"#)
            #expect(unknownBridge.status == .badRequest)

            let detached = try await server.request(
                .post, Self.detach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550101", "+14155550109"]}"#)
            #expect(detached.status == .ok)
            let detachResult = try detached.decode(ObjectEnvelope<Components.Schemas.AgentNumbersResult>.self).data
            #expect(detachResult.numbers.map(\.ok) == [true, false] && detachResult.numbers.map(\.numberId) == [added[0].id, 0])
            let none = try await server.request(
                .post, Self.detach, authorization: auth, orgHandle: "acme", json: #"{"numbers": ["+14155550101"]}"#)
            #expect(none.status == .badRequest && none.error?.message == "No number was detached.")

            // The other organization never sees acme's bridge, and a member cannot attach.
            let beta = try await server.get(Self.overview, token: other.token, orgHandle: "beta").decode(ListEnvelope<Components.Schemas.NumberOverview>.self)
            #expect(beta.data.map(\.number) == ["+442071230000"] && beta.data[0].bridgeSlug == nil)
            let member = try await server.store.createUser(email: "m@example.com", password: "long enough password")
            try await server.store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
            let memberKey = try await server.store.createAPIKey(userID: member.id, name: "m", scopes: .all, organization: nil, expiresAt: nil)
            expectError(
                try await server.request(.post, Self.attach, authorization: "Token \(memberKey.token)", orgHandle: "acme", json: #"{"numbers": ["+14155550101"]}"#),
                .permissionDenied)
            let events = try await server.store.auditEvents(AuditFilter(orgID: owner.organization.id, action: "number.attached"), page: 1, pageSize: 10)
            #expect(events.count == 3, "one event per number attached: to the bridge, to the pipeline, to the agent")
        }
    }
}
