import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import HummingbirdTesting
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// Phone calls (issue 17, item 4): `calls.create` with a `to_number` is placed by a phone gateway
/// on `/agents/worker` (here `unpod worker --gateway --simulate`, a simulated person who answers
/// or not from their number), and an inbound call a gateway reports reaches the agent attached to
/// the number. The agent is a prompt brain on a local streaming model, so the transcript is a
/// real conversation.
@Suite struct PhoneCallTests {
    static let speech = "/api/v2/platform/speech/v1"

    static func seed(_ store: SQLStore) async throws -> WorkspaceTests.Seed {
        let seed = try await WorkspaceTests.seed(store)
        let twilio = try #require(try await store.provider(.slug("twilio")))
        _ = try await store.addNumbers(["+14155550101", "+14155550102"], orgID: seed.owner.organization.id, provider: twilio)
        return seed
    }

    static func waitForEnd(_ server: TestServer, _ token: String, _ callID: String) async throws -> [String: Any] {
        var call: [String: Any] = [:]
        try await eventually(within: 30) {
            let read = try await server.get("\(speech)/calls/\(callID)", token: token, orgHandle: "acme")
            call = read.json["data"] as? [String: Any] ?? [:]
            return ["connected", "notConnected", "failed"].contains(call["status"] as? String ?? "")
        }
        return call
    }

    /// One request to the server binary: its status and JSON body.
    static func send(_ method: HTTPMethod, _ url: String, _ token: String, _ json: String? = nil) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Token \(token)")
        request.headers.add(name: "Org-Handle", value: "acme")
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:])
    }

    static func place(_ base: String, _ token: String, to number: String, agent: String = "phone-bot") async throws -> String {
        let (status, body) = try await send(.POST, base + speech + "/calls", token, #"{"to_number":"\#(number)","agent_id":"\#(agent)","data":{"name":"Ada"}}"#)
        #expect(status == 201, "\(body)")
        let call = try #require(body["data"] as? [String: Any])
        #expect(call["direction"] as? String == "outbound" && call["status"] as? String == "pending" && call["to_number"] as? String == number)
        return try #require(call["call_id"] as? String)
    }

    static func ended(_ base: String, _ token: String, _ callID: String) async throws -> [String: Any] {
        var call: [String: Any] = [:]
        try await eventually(within: 30) {
            call = try await send(.GET, base + speech + "/calls/" + callID, token).1["data"] as? [String: Any] ?? [:]
            return ["connected", "notConnected", "failed"].contains(call["status"] as? String ?? "")
        }
        return call
    }

    /// Against the server binary, with `unpod worker --gateway --simulate` as the phone gateway
    /// (both processes on the real clock).
    @Test(arguments: TestDatabase.all)
    func callsCreateIsPlacedByAGatewayAndTheCalleeConverses(engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withTestStore(engine) { store, database in
                let seed = try await Self.seed(store)
                let server = try await ServerProcess(
                    database: database.location, arguments: ["--llm-url", model.url, "--llm-model", "scripted-1", "--call-queue-timeout", "1"])
                defer { server.stop() }
                let base = server.baseURL
                let token = seed.owner.token
                let (created, _) = try await Self.send(
                    .POST, base + Self.speech + "/agents", token,
                    #"{"agent_id":"phone-bot","brain":{"type":"prompt","ref":"You book demos."},"greeting":"Hello, this is Acme."}"#)
                #expect(created == 201)
                // No gateway: the call ends notConnected with the reason.
                let unplaced = try await Self.ended(base, token, try await Self.place(base, token, to: "+14155550123"))
                #expect(unplaced["status"] as? String == "notConnected")
                #expect((unplaced["end_reason"] as? String)?.hasPrefix("no phone gateway") == true, "\(unplaced)")

                let gateway = try WorkerProcess(url: base, apiKey: token, arguments: ["--gateway", "--simulate", "--org", "acme", "--concurrency", "4"])
                defer { gateway.stop() }
                try await eventually(within: 20) { gateway.output.contains("registered") }
                var outcomes: [String: String] = [:]
                for number in ["+14155550111", "+14155550112", "+14155550113", "+14155550114", "+14155550115", "+14155550116"] {
                    let call = try await Self.ended(base, token, try await Self.place(base, token, to: number))
                    let lines = ServerBrainTests.lines(call)
                    outcomes[number] = call["status"] as? String ?? ""
                    if call["status"] as? String == "notConnected" {
                        #expect(call["end_reason"] as? String == "USER_DID_NOT_PICK_UP" && lines.isEmpty, "\(call)")
                    } else {
                        #expect(call["status"] as? String == "connected", "\(call) \(gateway.output)")
                        // The agent greets, then each line of the callee is answered by the model, in order.
                        #expect(lines.first == "agent: Hello, this is Acme.", "\(lines)")
                        let said = lines.filter { $0.hasPrefix("user: ") }.map { String($0.dropFirst(6)) }
                        #expect(!said.isEmpty && said.count <= 3)
                        for text in said {
                            let index = try #require(lines.firstIndex(of: "user: \(text)"))
                            #expect(index + 1 < lines.count && lines[index + 1] == "agent: You said: \(text). Anything else?", "\(lines)")
                        }
                        #expect(call["to_number"] as? String == number)
                    }
                }
                #expect(Set(outcomes.values).isSuperset(of: ["connected", "notConnected"]), "\(outcomes)")
                // The same number always ends the same way.
                let again = try await Self.ended(base, token, try await Self.place(base, token, to: "+14155550111"))
                #expect(again["status"] as? String == outcomes["+14155550111"])
                // Every phone call has its call log, outbound, missed or completed.
                let logs = try await Self.send(.GET, base + "/api/v2/platform/call-logs/?page_size=50", token).1
                let rows = try #require(logs["data"] as? [[String: Any]])
                #expect(rows.filter { $0["call_type"] as? String == "outbound" }.count == 8)
                // Bad requests.
                let noNumber = try await Self.send(.POST, base + Self.speech + "/calls", token, #"{"to_number":null,"agent_id":"phone-bot"}"#)
                #expect(noNumber.0 == 400)
                let theirs = try await Self.send(.POST, base + Self.speech + "/calls", token, #"{"to_number":"+14155550111","agent_id":"their-bot"}"#)
                #expect(theirs.0 == 404)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anInboundCallReachesTheAgentAttachedToTheNumber(engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withServer(
                engine, configure: { $0.calls.languageModel = LanguageModelConfiguration(url: model.url) }, seed: Self.seed
            ) { server, seed in
                let token = seed.owner.token
                _ = try await server.request(
                    .post, "\(Self.speech)/agents", authorization: "Token \(token)", orgHandle: "acme",
                    json: #"{"agent_id":"front-desk","brain":{"type":"prompt","ref":"You answer the phone."}}"#)
                let attached = try await server.request(
                    .post, "/api/v2/platform/telephony/numbers/attach/", authorization: "Token \(token)", orgHandle: "acme",
                    json: #"{"numbers":["+14155550101"],"agent_id":"front-desk"}"#)
                #expect(attached.status.code == 201, "\(attached.text)")
                let key = try #require(APIKeyToken.parse(token))
                var builder = AccessTokenBuilder(keyID: key.keyID, secret: token, identity: "gateway-1", video: VideoGrant(agent: true))
                builder.organization = "acme"
                let gateway = WorkerConnection(
                    serverURL: "ws://127.0.0.1:\(server.port)", token: try await builder.build(now: server.clock.now()), agents: [], capacity: 2,
                    gateway: true)
                var events = gateway.events.makeAsyncIterator()
                let first = await events.next()
                guard case .registered? = first else { Issue.record("the gateway did not register: \(String(describing: first))"); return }

                // A number with no agent, and one that is not the organization's, are refused with why.
                try await gateway.reportInboundCall(to: "+14155550102", from: "+14155559999")
                guard case .callRefused(_, let reason)? = await events.next() else { Issue.record("not refused"); return }
                #expect(reason == "no agent is attached to +14155550102")
                try await gateway.reportInboundCall(to: "+442071230000", from: "+14155559999")
                guard case .callRefused(_, let other)? = await events.next() else { Issue.record("not refused"); return }
                #expect(other == "+442071230000 is not a number of the organization")

                try await gateway.reportInboundCall(to: "+14155550101", from: "+14155559999")
                guard case .call(let call)? = await events.next() else { Issue.record("no call for the attached number"); return }
                #expect(call.direction == "inbound" && call.agentID == "front-desk" && call.fromNumber == "+14155559999")
                let caller = CallerConnection(mediaURL: WebCallTestsURL.local(call.mediaURL, port: server.port), token: call.token)
                var heard = caller.events.makeAsyncIterator()
                try await caller.say("Is the office open today?")
                var reply = ""
                while let event = await heard.next() {
                    if case .message(.agent(.textDelta(let text))) = event { reply += text }
                    if case .message(.agent(.textEnd)) = event { break }
                }
                #expect(reply == "You said: Is the office open today?. Anything else?")
                try await caller.hangUp()
                let ended = try await Self.waitForEnd(server, token, call.callID)
                #expect(ended["direction"] as? String == "inbound" && ended["status"] as? String == "connected")
                #expect(ServerBrainTests.lines(ended) == ["user: Is the office open today?", "agent: You said: Is the office open today?. Anything else?"])
                // The gateway hears that the call ended.
                var told = false
                while let event = await events.next() {
                    if case .callEnded(let id, let status, _) = event, id == call.callID {
                        told = status == "connected"
                        break
                    }
                }
                #expect(told)
                try await gateway.close()
            }
        }
    }
}
