import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// Signed webhooks (issue 18, item 2) against a local receiver: endpoints and their secret shown
/// once; private destinations refused; every event of a call delivered once per endpoint that
/// receives it, signed over the raw body; retries on Standard's schedule (on the test clock) with
/// `Retry-After` honoured; 410 and five failing days disable the endpoint with an event and an
/// audit entry, and enabling it sends what was held; a rotated secret signs with both for a day;
/// resend and replay; a delivery of a stopped node taken over when its lease runs out.
@Suite(.serialized)
struct WebhookTests {
    static let base = "/api/v2/platform/webhook-endpoints/"

    static func send(_ server: TestServer, _ method: HTTPRequest.Method, _ path: String, _ token: String, _ json: String? = nil) async throws
        -> TestResponse
    {
        try await server.request(method, base + path, authorization: "Token \(token)", orgHandle: "acme", json: json)
    }

    /// Creates an endpoint; answers its id and secret.
    static func endpoint(_ server: TestServer, _ token: String, _ url: String, events: [String] = []) async throws -> (id: String, secret: String) {
        let list = events.map { "\"\($0)\"" }.joined(separator: ",")
        let created = try await send(server, .post, "", token, #"{"url":"\#(url)","events":[\#(list)],"description":"test"}"#)
        #expect(created.status.code == 201, "\(created.text)")
        let data = try #require(created.json["data"] as? [String: Any], "\(created.text)")
        let endpoint = try #require(data["endpoint"] as? [String: Any])
        return (try #require(endpoint["endpoint_id"] as? String), try #require(data["secret"] as? String))
    }

    /// A call of sales-bot that connects and ends: `call.started` and `call.ended`.
    static func call(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws -> String {
        let agent = try #require(try await server.store.agent(handle: "sales-bot"))
        let call = try await server.store.createCall(
            NewCall(orgID: seed.owner.organization.id, agent: agent, direction: "web", callerToken: UUID().uuidString, nodeID: "test-node"),
            actor: .cli)
        try await server.store.markCall(call.callID, .active)
        try await server.store.endCall(
            call.callID, status: .connected, endReason: "the caller hung up",
            transcript: [TranscriptTurn(role: .user, content: "hello", timestamp: Date()), TranscriptTurn(role: .agent, content: "hi", timestamp: Date())])
        return call.callID
    }

    /// The signature header holds a valid `v1` signature of this request under `secret`.
    static func verifies(_ seen: WebhookReceiver.Seen, _ secret: String) -> Bool {
        guard let key = WebhookSecret(secret), let id = seen.headers["webhook-id"], let stamp = seen.headers["webhook-timestamp"].flatMap(Int64.init)
        else { return false }
        let expected = key.signature(id: id, timestamp: stamp, body: seen.body)
        return (seen.headers["webhook-signature"] ?? "").split(separator: " ").contains { $0 == expected }
    }

    static func payload(_ seen: WebhookReceiver.Seen) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(seen.body))) as? [String: Any] ?? [:]
    }

    static func deliveries(_ server: TestServer, _ token: String, _ endpointID: String) async throws -> [[String: Any]] {
        try await send(server, .get, "\(endpointID)/messages/", token).json["data"] as? [[String: Any]] ?? []
    }

    @Test(arguments: TestDatabase.all)
    func endpointsAreCheckedAndTheSecretIsShownOnce(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let token = seed.owner.token
            for url in ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://[::1]/hook", "http://169.254.169.254/latest", "ftp://example.com/x"] {
                let refused = try await Self.send(server, .post, "", token, #"{"url":"\#(url)"}"#)
                #expect(refused.status.code == 422, "\(url): \(refused.text)")
            }
            let unknown = try await Self.send(server, .post, "", token, #"{"url":"https://example.com/h","events":["call.exploded"]}"#)
            #expect(unknown.status.code == 400, "\(unknown.text)")
            // Allowed destinations only here: a name resolving to a public address.
            let created = try await Self.send(server, .post, "", token, #"{"url":"https://93.184.215.14/hook","events":["call.ended"]}"#)
            #expect(created.status.code == 201, "\(created.text)")
            let data = try #require(created.json["data"] as? [String: Any])
            let secret = try #require(data["secret"] as? String)
            #expect(secret.hasPrefix("whsec_") && WebhookSecret(secret)?.key.count == 32)
            let id = try #require((data["endpoint"] as? [String: Any])?["endpoint_id"] as? String)
            let listed = try await Self.send(server, .get, "", token)
            let read = try await Self.send(server, .get, "\(id)/", token)
            #expect(listed.status.code == 200 && read.status.code == 200)
            #expect(!listed.text.contains(secret) && !read.text.contains(secret) && !read.text.contains("secret\""))
            #expect((read.json["data"] as? [String: Any])?["events"] as? [String] == ["call.ended"])
            // A member of another organization does not see it.
            let outsider = try await server.request(.get, Self.base + "\(id)/", authorization: "Token \(seed.outsider.token)", orgHandle: "other")
            #expect(outsider.status.code == 404)
            // The stored secret is sealed, never the text.
            let stored = try await server.store.database.withConnection { db in
                try await db.raw("SELECT secret_sealed FROM webhook_endpoints").all().map { try $0.decode(column: "secret_sealed", as: String.self) }
            }
            #expect(stored.count == 1 && !stored[0].contains(secret.dropFirst(6)))
            let events = try await server.get("/api/v2/platform/audit-log/?action=webhook_endpoint.created", token: token, orgHandle: "acme")
            #expect((events.json["data"] as? [[String: Any]])?.count == 1, "\(events.text)")
        }
    }
}
