import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// The SDK's legacy numbers resource (issue 18, item 4): a number named by id or raw E.164;
/// attach, the move the SDK's `agents.update` relies on (409 with top-level code `not_attached`
/// before the number is attached), detach, release; another organization's numbers are not found.
@Suite struct SpeechNumberTests {
    static let base = "/api/v2/platform/speech/v1/numbers"

    @Test(arguments: TestDatabase.all)
    func numbersAttachMoveDetachAndRelease(engine: TestDatabase) async throws {
        try await withServer(engine, seed: Self.seed, Self.walk)
    }

    static func seed(_ store: SQLStore) async throws -> WorkspaceTests.Seed {
        let seed = try await WorkspaceTests.seed(store)
        let twilio = try #require(try await store.provider(.slug("twilio")))
        _ = try await store.addNumbers(["+14155550101", "+442071838750"], orgID: seed.owner.organization.id, provider: twilio)
        try await store.setAgentState(orgID: seed.owner.organization.id, handle: "draft-bot", .published, actor: .cli)
        return seed
    }

    static func send(_ server: TestServer, _ method: HTTPRequest.Method, _ path: String, _ token: String, _ json: String? = nil) async throws
        -> TestResponse
    {
        try await server.request(method, base + path, authorization: "Token \(token)", orgHandle: "acme", json: json)
    }

    static func walk(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws {
        let token = seed.owner.token
        let listed = try await send(server, .get, "?country=GB", token)
        let british = try #require((listed.json["data"] as? [[String: Any]])?.first, "\(listed.text)")
        #expect(british["number"] as? String == "+442071838750" && british["status"] as? String == "available" && british["id"] is String)

        let early = try await send(server, .put, "/+14155550101/attach", token, #"{"agent_id":"sales-bot","number":"+14155550101"}"#)
        #expect(early.status.code == 409 && early.json["code"] as? String == "not_attached", "\(early.text)")
        let attached = try await send(server, .post, "/+14155550101/attach", token, #"{"agent_id":"sales-bot"}"#)
        #expect((attached.json["data"] as? [String: Any])?["agent_id"] as? String == "sales-bot", "\(attached.text)")
        #expect((attached.json["data"] as? [String: Any])?["status"] as? String == "assigned")
        let moved = try await send(server, .put, "/+14155550101/attach", token, #"{"agent_id":"draft-bot"}"#)
        #expect((moved.json["data"] as? [String: Any])?["agent_id"] as? String == "draft-bot", "\(moved.text)")
        let attachment = try await server.store.numberAttachment("+14155550101", orgID: seed.owner.organization.id)
        #expect(attachment == .some("draft-bot"))
        let id = try #require((moved.json["data"] as? [String: Any])?["id"] as? String)
        let detached = try await send(server, .delete, "/\(id)/attach", token)
        #expect((detached.json["data"] as? [String: Any])?["state"] as? String == "NOT_ASSIGNED")

        let outsider = try await server.request(.delete, base + "/\(id)", authorization: "Token \(seed.outsider.token)", orgHandle: "other")
        #expect(outsider.status.code == 404)
        let released = try await send(server, .delete, "/\(id)", token)
        #expect((released.json["data"] as? [String: Any])?["released"] as? Bool == true)
        let gone = try await send(server, .delete, "/\(id)", token)
        #expect(gone.status.code == 404)
        let synced = try await send(server, .post, "/sync", token)
        #expect((synced.json["data"] as? [String: Any])?["synced"] as? Int == 1)
    }
}
