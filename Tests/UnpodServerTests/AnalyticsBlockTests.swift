import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodServer
import UnpodTestSupport

/// Analytics blocks (issue 18, item 1): definitions checked at creation (422 saying what is
/// wrong), versions, templates, attachments; and the server's evaluation after each call against
/// a local OpenAI-compatible model answering structured output: one result per attached block,
/// matching its fields; the flat table; a block updated between calls; a model that fails or
/// answers outside the schema retried on the test clock, then `failed`, the call unaffected.
@Suite struct AnalyticsBlockTests {
    static let speech = "/api/v2/platform/speech/v1"

    static func send(_ server: TestServer, _ method: HTTPRequest.Method, _ path: String, _ token: String, _ json: String? = nil) async throws
        -> TestResponse
    {
        try await server.request(method, speech + path, authorization: "Token \(token)", orgHandle: "acme", json: json)
    }

    @Test(arguments: TestDatabase.all)
    func blocksAreCheckedVersionedAttachedAndArchived(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let token = seed.owner.token
            // Field specs are checked at creation: 422 with what is wrong.
            for (fields, detail) in [
                (#"[{"name":"tier","type":"str","choices":["a"]}]"#, "fields[0] (tier) has choices, which only an enum field may have"),
                (#"[{"name":"tier","type":"enum"}]"#, "fields[0] (tier) is an enum and needs choices, a list of strings"),
                (#"[{"name":"tier","type":"date"}]"#, "fields[0].type must be one of str, int, float, bool, list[str], enum"),
                (#"[{"name":"a","type":"int"},{"name":"a","type":"str"}]"#, "fields[1].name a appears twice"),
                (#"[{"name":"summary","type":"str"}]"#, "fields[0].name summary is every block's own; choose another name"),
            ] {
                let refused = try await Self.send(server, .post, "/analytics-blocks", token, #"{"name":"Bad","prompt":"p","fields":\#(fields)}"#)
                #expect(refused.status.code == 422, "\(refused.text)")
                #expect(refused.error == .unprocessable(detail), "\(refused.text)")
            }
            let missing = try await Self.send(server, .post, "/analytics-blocks", token, #"{"prompt":"p"}"#)
            #expect(missing.error == .unprocessable("name is required"))

            let created = try await Self.send(
                server, .post, "/analytics-blocks", token,
                #"{"name":"Qualify","prompt":"Is this a lead?","fields":[{"name":"budget","type":"int","description":"USD"},{"name":"timeline","type":"enum","choices":["now","later"]}]}"#)
            #expect(created.status.code == 201, "\(created.text)")
            let block = try #require(created.json["data"] as? [String: Any])
            let blockID = try #require(block["block_id"] as? String)
            #expect(block["version"] as? Int == 1 && block["state"] as? String == "active" && block["agent_ids"] as? [String] == [])
            #expect(block["success_enabled"] as? Bool == true && block["success_type"] as? String == "bool" && block["project_id"] as? String == "acme")
            #expect((block["fields"] as? [[String: Any]])?.last?["choices"] as? [String] == ["now", "later"])
            #expect((block["fields"] as? [[String: Any]])?.first?.keys.contains("choices") == false)

            // Templates, and a block made from one with a key overridden.
            let templates = try await Self.send(server, .get, "/analytics-blocks/templates", token)
            let ids = (templates.json["data"] as? [[String: Any]] ?? []).compactMap { $0["template_id"] as? String }
            #expect(ids == ["lead_qualification", "customer_satisfaction", "appointment_booking"], "\(templates.text)")
            let fromTemplate = try await Self.send(server, .post, "/analytics-blocks?from_template=appointment_booking", token, #"{"name":"Bookings","fields":[]}"#)
            let templated = try #require(fromTemplate.json["data"] as? [String: Any], "\(fromTemplate.text)")
            #expect(templated["name"] as? String == "Bookings" && templated["template_id"] as? String == "appointment_booking")
            #expect((templated["fields"] as? [[String: Any]])?.count == 4)
            let unknown = try await Self.send(server, .post, "/analytics-blocks?from_template=nope", token, #"{"name":"X"}"#)
            #expect(unknown.status.code == 404)

            // An update bumps the version; one that changes nothing does not; a bad one changes nothing.
            let updated = try await Self.send(server, .patch, "/analytics-blocks/\(blockID)", token, #"{"prompt":"Is this a qualified lead?"}"#)
            #expect((updated.json["data"] as? [String: Any])?["version"] as? Int == 2, "\(updated.text)")
            let same = try await Self.send(server, .patch, "/analytics-blocks/\(blockID)", token, #"{"prompt":"Is this a qualified lead?"}"#)
            #expect((same.json["data"] as? [String: Any])?["version"] as? Int == 2)
            let badUpdate = try await Self.send(server, .patch, "/analytics-blocks/\(blockID)", token, #"{"success_type":"enum"}"#)
            #expect(badUpdate.error == .unprocessable("success_type enum needs success_choices, a list of strings"))

            // Attach (idempotent) to an agent of the organization; never to another's.
            for _ in 0..<2 {
                let attached = try await Self.send(server, .post, "/analytics-blocks/\(blockID)/attach", token, #"{"agent_id":"sales-bot"}"#)
                #expect((attached.json["data"] as? [String: Any])?["agent_ids"] as? [String] == ["sales-bot"], "\(attached.text)")
            }
            let foreign = try await Self.send(server, .post, "/analytics-blocks/\(blockID)/attach", token, #"{"agent_id":"their-bot"}"#)
            #expect(foreign.status.code == 404)
            let detached = try await Self.send(server, .delete, "/analytics-blocks/\(blockID)/attach/sales-bot", token)
            #expect((detached.json["data"] as? [String: Any])?["agent_ids"] as? [String] == [])
            // Another organization does not see the block.
            let outsider = try await server.request(
                .get, Self.speech + "/analytics-blocks/\(blockID)", authorization: "Token \(seed.outsider.token)", orgHandle: "other")
            #expect(outsider.status.code == 404)

            // Delete archives: gone from the list, still readable, listed with include_archived.
            let deleted = try await Self.send(server, .delete, "/analytics-blocks/\(blockID)", token)
            #expect(deleted.status.code == 200, "\(deleted.text)")
            let listed = try await Self.send(server, .get, "/analytics-blocks", token)
            #expect((listed.json["data"] as? [[String: Any]])?.map { $0["block_id"] as? String } == [templated["block_id"] as? String])
            let all = try await Self.send(server, .get, "/analytics-blocks?include_archived=true", token)
            #expect((all.json["data"] as? [[String: Any]])?.count == 2)
            let archived = try await Self.send(server, .get, "/analytics-blocks/\(blockID)", token)
            #expect((archived.json["data"] as? [String: Any])?["state"] as? String == "archived")
            // Every change is in the audit log.
            let events = try await server.get("/api/v2/platform/audit-log/?page_size=100", token: token, orgHandle: "acme")
            let actions = Set(
                (events.json["data"] as? [[String: Any]] ?? []).filter { ($0["target"] as? [String: Any])?["id"] as? String == blockID }
                    .compactMap { $0["action"] as? String })
            #expect(
                actions == ["analytics_block.created", "analytics_block.updated", "analytics_block.attached", "analytics_block.detached", "analytics_block.archived"],
                "\(events.text)")
        }
    }

    /// A prompt agent (the server's own brain, on the same scripted model) with two blocks.
    static func setUp(_ server: TestServer, _ token: String) async throws -> (qualify: String, mood: String) {
        try await ServerBrainTests.createAgent(server, token, #"{"agent_id":"prompt-bot","brain":{"type":"prompt","ref":"You are terse."}}"#)
        let qualify = try await Self.send(
            server, .post, "/analytics-blocks", token,
            #"{"name":"Qualify","prompt":"Is this a lead?","fields":[{"name":"budget","type":"int"},{"name":"timeline","type":"enum","choices":["now","later"]},{"name":"topics","type":"list[str]"}]}"#)
        let mood = try await Self.send(
            server, .post, "/analytics-blocks", token,
            #"{"name":"Mood","prompt":"How did it go?","success_type":"enum","success_choices":["good","bad"],"fields":[{"name":"last_words","type":"str"},{"name":"agreed","type":"bool"}]}"#)
        let ids = (
            try #require((qualify.json["data"] as? [String: Any])?["block_id"] as? String, "\(qualify.text)"),
            try #require((mood.json["data"] as? [String: Any])?["block_id"] as? String, "\(mood.text)")
        )
        for id in [ids.0, ids.1] {
            let attached = try await Self.send(server, .post, "/analytics-blocks/\(id)/attach", token, #"{"agent_id":"prompt-bot"}"#)
            #expect(attached.status.code == 200, "\(attached.text)")
        }
        return ids
    }

    /// Waits until every result of the call has left `pending`; answers them by block id.
    static func results(_ server: TestServer, _ token: String, call callID: String, count: Int) async throws -> [String: [String: Any]] {
        var byBlock: [String: [String: Any]] = [:]
        try await eventually(within: 15) {
            let read = try await Self.send(server, .get, "/calls/\(callID)/analytics", token)
            let items = read.json["data"] as? [[String: Any]] ?? []
            byBlock = Dictionary(items.map { ($0["block_id"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
            return items.count == count && items.allSatisfy { $0["status"] as? String != "pending" }
        }
        return byBlock
    }

    @Test(arguments: TestDatabase.all)
    func eachCallGetsOneResultPerAttachedBlockMatchingItsFields(engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withServer(
                engine, configure: { $0.calls.languageModel = LanguageModelConfiguration(url: model.url, model: "scripted-1") },
                seed: WorkspaceTests.seed
            ) { server, seed in
                let token = seed.owner.token
                let (qualify, mood) = try await Self.setUp(server, token)
                let (call, _) = try await ServerBrainTests.converse(server, token, agent: "prompt-bot", turns: ["I want it now", "yes, deal"])
                let callID = try #require(call["call_id"] as? String)
                #expect(call["status"] as? String == "connected")
                let results = try await Self.results(server, token, call: callID, count: 2)
                let first = try #require(results[qualify])
                #expect(first["status"] as? String == "ok", "\(first)")
                #expect(first["session_id"] as? String == callID && first["agent_id"] as? String == "prompt-bot" && first["block_version"] as? Int == 1)
                #expect(first["summary"] as? String == "The caller said: I want it now | yes, deal")
                #expect(first["success_evaluation"] as? Bool == true && first["model"] as? String == "scripted-1")
                let data = try #require(first["data"] as? [String: Any])
                #expect(Set(data.keys) == ["budget", "timeline", "topics"])
                #expect(data["budget"] as? Int == 2 && data["timeline"] as? String == "now")
                #expect(data["topics"] as? [String] == ["I want it now", "yes, deal"])
                #expect(first["latency_ms"] is Int)
                let second = try #require(results[mood])
                #expect(second["status"] as? String == "ok" && second["success_evaluation"] as? String == "good", "\(second)")
                #expect((second["data"] as? [String: Any])?["last_words"] as? String == "yes, deal" && (second["data"] as? [String: Any])?["agreed"] as? Bool == true)

                // The model was asked with strict structured output built from the block.
                let asked = try #require(model.requests.first { ($0.body["response_format"] as? [String: Any]) != nil && ($0.messages.first?["content"] ?? "").hasPrefix("Is this a lead?") })
                let format = try #require((asked.body["response_format"] as? [String: Any])?["json_schema"] as? [String: Any])
                #expect(format["strict"] as? Bool == true)
                let schema = try #require(format["schema"] as? [String: Any])
                #expect(Set(schema["required"] as? [String] ?? []) == ["summary", "success_evaluation", "budget", "timeline", "topics"])
                #expect(schema["additionalProperties"] as? Bool == false)
                #expect(asked.messages.last?["content"] == "Caller: I want it now\nAgent: You said: I want it now. Anything else?\nCaller: yes, deal\nAgent: You said: yes, deal. Anything else?")

                // The same results on the call, the session, the block and across blocks.
                let read = try await server.get("\(Self.speech)/calls/\(callID)", token: token, orgHandle: "acme")
                #expect(((read.json["data"] as? [String: Any])?["analytics"] as? [[String: Any]])?.count == 2)
                let session = try await Self.send(server, .get, "/sessions/\(callID)/analytics", token)
                #expect((session.json["data"] as? [[String: Any]])?.count == 2)
                let perBlock = try await Self.send(server, .get, "/analytics-blocks/\(qualify)/results?limit=100&skip=0", token)
                #expect((perBlock.json["data"] as? [[String: Any]])?.map { $0["result_id"] as? String } == [first["result_id"] as? String])
                let filtered = try await Self.send(server, .get, "/analytics-results?limit=100&skip=0&agent_id=prompt-bot&status=ok", token)
                #expect((filtered.json["data"] as? [[String: Any]])?.count == 2)
                let none = try await Self.send(server, .get, "/analytics-results?limit=100&skip=0&status=failed", token)
                #expect((none.json["data"] as? [[String: Any]])?.count == 0)

                // The block changes between calls: the next call is evaluated with the new version.
                let changed = try await Self.send(
                    server, .patch, "/analytics-blocks/\(qualify)", token,
                    #"{"fields":[{"name":"budget","type":"int"},{"name":"urgent","type":"bool"}]}"#)
                #expect((changed.json["data"] as? [String: Any])?["version"] as? Int == 2)
                let (later, _) = try await ServerBrainTests.converse(server, token, agent: "prompt-bot", turns: ["maybe later"])
                let laterID = try #require(later["call_id"] as? String)
                let laterResults = try await Self.results(server, token, call: laterID, count: 2)
                let newer = try #require(laterResults[qualify])
                #expect(newer["block_version"] as? Int == 2 && Set((newer["data"] as? [String: Any] ?? [:]).keys) == ["budget", "urgent"], "\(newer)")
                // The earlier result keeps the version it was evaluated with.
                let again = try await Self.send(server, .get, "/calls/\(callID)/analytics", token)
                #expect((again.json["data"] as? [[String: Any]])?.first { $0["block_id"] as? String == qualify }?["block_version"] as? Int == 1)

                // The flat table: the block's current columns; rows in the same order as the list.
                let table = try await Self.send(server, .get, "/analytics-results?block_id=\(qualify)&format=flat&limit=100&skip=0", token)
                let flat = try #require(table.json["data"] as? [String: Any], "\(table.text)")
                let columns = (flat["columns"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(columns == ["result_id", "session_id", "agent_id", "status", "block_version", "created", "summary", "success_evaluation", "budget", "urgent"])
                let rows = try #require(flat["rows"] as? [[Any]])
                #expect(rows.count == 2 && rows.allSatisfy { $0.count == columns.count })
                #expect(rows.first?[1] as? String == laterID && rows.first?[8] as? Int == 1 && rows.first?[9] as? Bool == false)
                // The older row had no `urgent`: null in that column.
                #expect(rows.last?[1] as? String == callID && rows.last?[8] as? Int == 2 && rows.last?[9] is NSNull)
                let noBlock = try await Self.send(server, .get, "/analytics-results?format=flat", token)
                #expect(noBlock.status.code == 400)
            }
        }
    }

    /// An endpoint agent answering from the scripted model's own URL (so only the analytics ask the
    /// operator's URL), with one block of one int field attached; the block's id.
    static func ownBotWithOneBlock(_ server: TestServer, _ token: String, model: ScriptedModelServer) async throws -> String {
        try await ServerBrainTests.createAgent(server, token, #"{"agent_id":"own-bot","brain":{"type":"endpoint","ref":"\#(model.url)"}}"#)
        let created = try await Self.send(server, .post, "/analytics-blocks", token, #"{"name":"Q","prompt":"Q?","fields":[{"name":"n","type":"int"}]}"#)
        let blockID = try #require((created.json["data"] as? [String: Any])?["block_id"] as? String)
        _ = try await Self.send(server, .post, "/analytics-blocks/\(blockID)/attach", token, #"{"agent_id":"own-bot"}"#)
        return blockID
    }

    @Test(arguments: TestDatabase.all)
    func aFailingModelIsRetriedOnScheduleThenFailedAndTheCallStands(engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withServer(
                engine,
                configure: {
                    // Analytics ask the operator's failing URL; the agent answers from its own.
                    $0.calls.languageModel = LanguageModelConfiguration(url: model.failingURL, model: "scripted-1")
                    $0.calls.analytics = AnalyticsSettings(maxAttempts: 3, firstBackoff: .seconds(60), pollInterval: .milliseconds(50))
                },
                seed: WorkspaceTests.seed
            ) { server, seed in
                let token = seed.owner.token
                let blockID = try await Self.ownBotWithOneBlock(server, token, model: model)
                let (call, _) = try await ServerBrainTests.converse(server, token, agent: "own-bot", turns: ["hello"])
                #expect(call["status"] as? String == "connected" && call["end_reason"] as? String == "USER_HUNG_UP_IN_CALL")
                let callID = try #require(call["call_id"] as? String)
                let failures = { model.requests.filter { $0.path.hasPrefix("/fail/") }.count }
                // Each failed try puts the entry back with its next try time: firstBackoff (60 s on
                // the test clock), doubled per try, ±20% (the wire's whole seconds round it down).
                var seenNext = Date.distantPast
                for (attempt, range) in [(1, 47.0...72.0), (2, 95.0...144.0)] {
                    var entry: [String: Any] = [:]
                    try await eventually(within: 10) {
                        let read = try await Self.send(server, .get, "/calls/\(callID)/analytics", token)
                        entry = (read.json["data"] as? [[String: Any]])?.first ?? [:]
                        let next = (entry["next_attempt_at"] as? String).flatMap { Timestamp.parse($0)?.date } ?? .distantPast
                        return entry["attempts"] as? Int == attempt && next > server.clock.now()
                    }
                    #expect(entry["status"] as? String == "pending" && (entry["error"] as? String)?.contains("HTTP 500") == true, "\(entry)")
                    let next = try #require((entry["next_attempt_at"] as? String).flatMap { Timestamp.parse($0)?.date })
                    let wait = next.timeIntervalSince(server.clock.now())
                    #expect(range.contains(wait), "try \(attempt + 1) in \(wait) s")
                    #expect(next > seenNext)
                    seenNext = next
                    // Not before its time...
                    server.clock.advance(by: wait - 2)
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(failures() == attempt)
                    // ...and at it (within the second the wire rounded away).
                    server.clock.advance(by: 3)
                    try await eventually(within: 10) { failures() == attempt + 1 }
                }
                let results = try await Self.results(server, token, call: callID, count: 1)
                let failed = try #require(results[blockID])
                #expect(failed["status"] as? String == "failed" && failed["attempts"] as? Int == 3, "\(failed)")
                #expect(failed["next_attempt_at"] is NSNull)
                #expect((failed["error"] as? String)?.hasPrefix("the model answered HTTP 500") == true && (failed["error"] as? String)?.hasSuffix("(after 3 tries)") == true)
                #expect(failures() == 3)
                // The call itself is as it ended.
                let read = try await server.get("\(Self.speech)/calls/\(callID)", token: token, orgHandle: "acme")
                #expect((read.json["data"] as? [String: Any])?["status"] as? String == "connected")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAnswerOutsideTheSchemaIsNotStoredAndAnEmptyCallIsSkipped(engine: TestDatabase) async throws {
        try await ScriptedModelServer.with { model in
            try await withServer(
                engine,
                configure: {
                    $0.calls.languageModel = LanguageModelConfiguration(url: model.wrongURL, model: "scripted-1")
                    $0.calls.analytics = AnalyticsSettings(maxAttempts: 2, firstBackoff: .milliseconds(10), pollInterval: .milliseconds(50))
                },
                seed: WorkspaceTests.seed
            ) { server, seed in
                let token = seed.owner.token
                let blockID = try await Self.ownBotWithOneBlock(server, token, model: model)
                let (call, _) = try await ServerBrainTests.converse(server, token, agent: "own-bot", turns: ["hello"])
                // Two tries (the second after its backoff on the test clock), each answered outside the schema.
                // The clock moves only once the first failure is stored with its next try: moved
                // earlier, the retry would be scheduled from the moved clock and never come due.
                let callID = call["call_id"] as? String ?? ""
                try await eventually(within: 10) {
                    let read = try await Self.send(server, .get, "/calls/\(callID)/analytics", token)
                    let entry = (read.json["data"] as? [[String: Any]])?.first ?? [:]
                    return entry["attempts"] as? Int == 1 && entry["error"] is String
                }
                #expect(model.requests.filter { $0.path.hasPrefix("/wrong/") }.count == 1)
                server.clock.advance(by: 1)
                let wrong = try #require(try await Self.results(server, token, call: callID, count: 1)[blockID])
                #expect(wrong["status"] as? String == "failed" && (wrong["data"] as? [String: Any])?.isEmpty == true, "\(wrong)")
                #expect((wrong["error"] as? String)?.hasPrefix("the model's answer does not match the block: the answer has no summary text") == true, "\(wrong)")
                // A call with nothing said: skipped, without asking the model.
                let asked = model.requests.count
                let (silent, _) = try await ServerBrainTests.converse(server, token, agent: "own-bot", turns: [])
                let skipped = try #require(try await Self.results(server, token, call: silent["call_id"] as? String ?? "", count: 1)[blockID])
                #expect(skipped["status"] as? String == "skipped" && skipped["error"] as? String == "the call has no transcript", "\(skipped)")
                #expect(model.requests.count == asked)
            }
        }
    }
}
