import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// Webhook deliveries (issue 18, item 2) to a local receiver, on the test clock.
@Suite(.serialized)
struct WebhookDeliveryTests {
    typealias Hooks = WebhookTests

    static func allowPrivate(_ configuration: inout ServerConfiguration) {
        configuration.allowPrivateDestinations = true
        configuration.webhooks.pollInterval = .milliseconds(50)
    }

    @Test(arguments: TestDatabase.all)
    func everyEventOfACallArrivesOncePerEndpointSigned(engine: TestDatabase) async throws {
        try await WebhookReceiver.with { receiver in
            try await withServer(engine, configure: Self.allowPrivate, seed: WorkspaceTests.seed) { server, seed in
                let token = seed.owner.token
                let all = try await Hooks.endpoint(server, token, receiver.url("/all"))
                let ended = try await Hooks.endpoint(server, token, receiver.url("/ended"), events: ["call.ended"])
                let callID = try await Hooks.call(server, seed)
                try await eventually(within: 10) { receiver.requests("/all").count == 2 && receiver.requests("/ended").count == 1 }
                try await Task.sleep(for: .milliseconds(300))
                let seen = receiver.requests("/all")
                #expect(seen.count == 2 && receiver.requests("/ended").count == 1)
                #expect(seen.map { Hooks.payload($0)["type"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") } == ["call.ended", "call.started"])
                #expect(seen.allSatisfy { Hooks.verifies($0, all.secret) && !Hooks.verifies($0, ended.secret) })
                let endedHook = try #require(receiver.requests("/ended").first)
                #expect(Hooks.verifies(endedHook, ended.secret))
                let data = try #require(Hooks.payload(endedHook)["data"] as? [String: Any])
                #expect(data["call_id"] as? String == callID && data["status"] as? String == "connected" && data["turns"] as? Int == 2)
                #expect(data["end_reason"] as? String == "the caller hung up" && data["transcript"] == nil)
                // One message, one id, on every endpoint that receives it.
                let endedOnAll = try #require(seen.first { Hooks.payload($0)["type"] as? String == "call.ended" })
                #expect(endedOnAll.headers["webhook-id"] == endedHook.headers["webhook-id"])
                // Deliveries and attempts are listed per endpoint and message.
                var deliveries: [[String: Any]] = []
                try await eventually(within: 10) {
                    deliveries = try await Hooks.deliveries(server, token, all.id)
                    return deliveries.allSatisfy { $0["status"] as? String == "delivered" }
                }
                #expect(
                    deliveries.count == 2 && deliveries.allSatisfy { $0["status"] as? String == "delivered" && $0["attempts"] as? Int == 1 },
                    "\(deliveries) \(server.logs.text.suffix(3000))")
                let messageID = try #require(endedHook.headers["webhook-id"])
                let attempts = try await Hooks.send(server, .get, "\(ended.id)/attempts/?message_id=\(messageID)", token)
                let attempt = try #require((attempts.json["data"] as? [[String: Any]])?.first, "\(attempts.text)")
                #expect(attempt["status_code"] as? Int == 200 && attempt["succeeded"] as? Bool == true && attempt["response"] as? String == "answer 200")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func failuresAreRetriedOnTheScheduleAndGoneDisablesTheEndpoint(engine: TestDatabase) async throws {
        try await WebhookReceiver.with { receiver in
            try await withServer(engine, configure: Self.allowPrivate, seed: WorkspaceTests.seed) { server, seed in
                let token = seed.owner.token
                let watcher = try await Hooks.endpoint(server, token, receiver.url("/watcher"), events: ["webhook_endpoint.disabled"])
                let flaky = try await Hooks.endpoint(server, token, receiver.url("/flaky"), events: ["call.ended"])
                receiver.answer(
                    "/flaky",
                    [.init(status: 500, retryAfter: nil), .init(status: 302, retryAfter: nil), .init(status: 503, retryAfter: "20000"), .init(status: 200, retryAfter: nil)])
                _ = try await Hooks.call(server, seed)
                // 5 s, then 5 min (Retry-After shorter than the schedule changes nothing), then the
                // Retry-After of 20000 s (longer than the schedule's 30 min), each ±10% (the wire
                // keeps whole seconds, so a second less is read).
                let expected: [ClosedRange<Double>] = [3.5...5.5, 269...330, 19_998...20_001]
                for (index, range) in expected.enumerated() {
                    try await eventually(within: 10) { receiver.requests("/flaky").count == index + 1 }
                    var next = 0.0
                    try await eventually(within: 10) {
                        let delivery = try await Hooks.deliveries(server, token, flaky.id).first ?? [:]
                        guard delivery["attempts"] as? Int == index + 1, let at = (delivery["next_attempt_at"] as? String).flatMap(Timestamp.parse)
                        else { return false }
                        // While a try is in flight its old due time shows: wait for the recorded retry.
                        next = at.date.timeIntervalSince(server.clock.now())
                        return next > 1
                    }
                    #expect(range.contains(next), "try \(index + 2) after \(next) s")
                    server.clock.advance(by: next - 1)
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(receiver.requests("/flaky").count == index + 1, "not before its time")
                    server.clock.advance(by: 2)
                }
                try await eventually(within: 10) { (try await Hooks.deliveries(server, token, flaky.id).first?["status"] as? String) == "delivered" }
                let seen = receiver.requests("/flaky")
                #expect(seen.count == 4 && Set(seen.map { $0.headers["webhook-id"] ?? "" }).count == 1)
                #expect(seen.allSatisfy { Hooks.verifies($0, flaky.secret) })
                let attempts = try await Hooks.send(server, .get, "\(flaky.id)/attempts/", token).json["data"] as? [[String: Any]] ?? []
                #expect(attempts.compactMap { $0["status_code"] as? Int } == [200, 503, 302, 500])

                // 410 disables at once: held, not dropped; said on the other endpoint and in the audit log.
                let gone = try await Hooks.endpoint(server, token, receiver.url("/gone"), events: ["call.ended"])
                receiver.answer("/gone", [.init(status: 410, retryAfter: nil)])
                _ = try await Hooks.call(server, seed)
                try await eventually(within: 10) { receiver.requests("/watcher").count == 1 }
                let notice = try #require(Hooks.payload(receiver.requests("/watcher")[0])["data"] as? [String: Any])
                #expect(notice["endpoint_id"] as? String == gone.id && notice["reason"] as? String == "the endpoint answered 410 Gone")
                #expect(Hooks.verifies(receiver.requests("/watcher")[0], watcher.secret))
                let disabled = try await Hooks.send(server, .get, "\(gone.id)/", token).json["data"] as? [String: Any] ?? [:]
                #expect(disabled["enabled"] as? Bool == false && disabled["disabled_reason"] as? String == "the endpoint answered 410 Gone")
                _ = try await Hooks.call(server, seed)
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.requests("/gone").count == 1)
                #expect(try await Hooks.deliveries(server, token, gone.id).map { $0["status"] as? String } == ["held", "held"])
                let audit = try await server.get("/api/v2/platform/audit-log/?action=webhook_endpoint.disabled", token: token, orgHandle: "acme")
                let entry = try #require((audit.json["data"] as? [[String: Any]])?.first, "\(audit.text)")
                #expect((entry["actor"] as? [String: Any])?["type"] as? String == "system")
                // Enabled again, it gets both held messages.
                let enabled = try await Hooks.send(server, .patch, "\(gone.id)/", token, #"{"enabled":true}"#)
                #expect(enabled.status.code == 200, "\(enabled.text)")
                try await eventually(within: 10) {
                    try await Hooks.deliveries(server, token, gone.id).allSatisfy { $0["status"] as? String == "delivered" }
                }
                #expect(receiver.requests("/gone").count == 3)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRotatedSecretSignsWithBothForADayAndMessagesCanBeSentAgain(engine: TestDatabase) async throws {
        try await WebhookReceiver.with { receiver in
            try await withServer(engine, configure: Self.allowPrivate, seed: WorkspaceTests.seed) { server, seed in
                let token = seed.owner.token
                let hook = try await Hooks.endpoint(server, token, receiver.url("/hook"), events: ["call.ended"])
                let rotated = try await Hooks.send(server, .post, "\(hook.id)/rotate-secret/", token)
                let newSecret = try #require((rotated.json["data"] as? [String: Any])?["secret"] as? String, "\(rotated.text)")
                #expect(newSecret != hook.secret)
                _ = try await Hooks.call(server, seed)
                try await eventually(within: 10) { receiver.requests("/hook").count == 1 }
                let during = receiver.requests("/hook")[0]
                #expect(Hooks.verifies(during, hook.secret) && Hooks.verifies(during, newSecret))
                #expect(during.headers["webhook-signature"]?.split(separator: " ").count == 2)
                // A day later only the new secret signs.
                server.clock.advance(by: 86_401)
                _ = try await Hooks.call(server, seed)
                try await eventually(within: 10) { receiver.requests("/hook").count == 2 }
                let after = receiver.requests("/hook")[1]
                #expect(Hooks.verifies(after, newSecret) && !Hooks.verifies(after, hook.secret))

                // Resend: the same message again, now. Replay: what the endpoint did not get.
                let first = try #require(during.headers["webhook-id"])
                let resent = try await Hooks.send(server, .post, "\(hook.id)/messages/\(first)/resend/", token)
                #expect(resent.status.code == 200, "\(resent.text)")
                try await eventually(within: 10) { receiver.requests("/hook").count == 3 }
                #expect(receiver.requests("/hook")[2].headers["webhook-id"] == first && receiver.requests("/hook")[2].body == during.body)
                let missing = try await Hooks.send(server, .post, "\(hook.id)/messages/msg_nope/resend/", token)
                #expect(missing.status.code == 404)
                let late = try await Hooks.endpoint(server, token, receiver.url("/late"), events: ["call.ended"])
                let since = Timestamp.format(server.clock.now().addingTimeInterval(-200_000))
                let replay = try await Hooks.send(server, .post, "\(late.id)/replay/", token, #"{"since":"\#(since)"}"#)
                #expect((replay.json["data"] as? [String: Any])?["queued"] as? Int == 2, "\(replay.text)")
                try await eventually(within: 10) { receiver.requests("/late").count == 2 }
                let again = try await Hooks.send(server, .post, "\(late.id)/replay/", token, #"{"since":"\#(since)"}"#)
                #expect((again.json["data"] as? [String: Any])?["queued"] as? Int == 0, "delivered messages are not replayed")
                let backwards = try await Hooks.send(server, .post, "\(late.id)/replay/", token, #"{"since":"2030-01-01T00:00:00Z","until":"2029-01-01T00:00:00Z"}"#)
                #expect(backwards.status.code == 422)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func anEndpointFailingForFiveDaysIsDisabledSaying(engine: TestDatabase) async throws {
        try await WebhookReceiver.with { receiver in
            try await withServer(engine, configure: Self.allowPrivate, seed: WorkspaceTests.seed) { server, seed in
                let token = seed.owner.token
                let down = try await Hooks.endpoint(server, token, receiver.url("/down"), events: ["call.ended"])
                receiver.answer("/down", Array(repeating: .init(status: 500, retryAfter: nil), count: 20))
                _ = try await Hooks.call(server, seed)
                // The clock moves only once each failure is recorded with its retry: moved earlier,
                // the retry would be scheduled from the moved clock.
                func recorded(_ attempts: Int) async throws {
                    try await eventually(within: 10) {
                        let delivery = try await Hooks.deliveries(server, token, down.id).first ?? [:]
                        let next = (delivery["next_attempt_at"] as? String).flatMap(Timestamp.parse)?.date ?? .distantPast
                        return delivery["attempts"] as? Int == attempts && next > server.clock.now()
                    }
                }
                try await recorded(1)
                server.clock.advance(by: 4 * 86_400)
                try await eventually(within: 10) { receiver.requests("/down").count == 2 }
                try await recorded(2)
                #expect((try await Hooks.send(server, .get, "\(down.id)/", token).json["data"] as? [String: Any])?["enabled"] as? Bool == true)
                server.clock.advance(by: 86_400)
                _ = try await Hooks.call(server, seed)
                try await eventually(within: 10) {
                    (try await Hooks.send(server, .get, "\(down.id)/", token).json["data"] as? [String: Any])?["enabled"] as? Bool == false
                }
                let endpoint = try await Hooks.send(server, .get, "\(down.id)/", token).json["data"] as? [String: Any] ?? [:]
                #expect(endpoint["disabled_reason"] as? String == "every attempt failed for 5 days")
            }
        }
    }

    /// A run's tasks as a worker ends them (the store calls the worker endpoint makes): each task
    /// announced, and the run once its last task has ended.
    @Test(arguments: TestDatabase.all)
    func tasksAndTheirRunAreAnnounced(engine: TestDatabase) async throws {
        try await WebhookReceiver.with { receiver in
            try await withServer(engine, configure: Self.allowPrivate, seed: WorkspaceTests.seed) { server, seed in
                let token = seed.owner.token
                let hook = try await Hooks.endpoint(server, token, receiver.url("/tasks"), events: ["task.completed", "task.failed", "run.completed"])
                let space = try #require(try await server.store.space(token: seed.space.token))
                let agent = try #require(try await server.store.agent(handle: "sales-bot"))
                let run = try await server.store.createRun(
                    NewRun(
                        space: space, agent: agent, userID: seed.owner.user.id, objective: "Book demos",
                        inputs: [#"{"name":"A","contact_number":"+14155550001"}"#, #"{"name":"B","contact_number":"+14155550002"}"#],
                        refIDs: [nil, nil], scheduledAt: nil, idempotency: nil),
                    actor: .cli)
                let leases = try await server.store.claimTasks(agentRowIDs: [agent.rowID], limit: 2, workerID: "w", leaseFor: 60)
                try #require(leases.count == 2)
                let now = server.clock.now()
                _ = try await server.store.completeTask(
                    leases[0].leaseID, output: .object(["call_id": .string("c1"), "call_status": .string("completed")]), actor: .cli
                ) { _ in
                    CallLog(
                        id: 0, callId: "c1", sourceNumber: "+14155550000", destinationNumber: "+14155550001", callType: .outbound,
                        callStatus: .completed, creationTime: now, startTime: now, endTime: now, callDuration: 0, endReason: nil)
                }
                #expect(receiver.requests("/tasks").count <= 1, "the run is not done yet")
                _ = try await server.store.failTask(leases[1].leaseID, reason: "the number cannot be dialled", policy: RetryPolicy(maxAttempts: 1), actor: .cli)
                try await eventually(within: 10) { receiver.requests("/tasks").count == 3 }
                try await Task.sleep(for: .milliseconds(200))
                let seen = receiver.requests("/tasks")
                #expect(seen.count == 3 && seen.allSatisfy { Hooks.verifies($0, hook.secret) })
                let byType = Dictionary(
                    seen.map { (Hooks.payload($0)["type"] as? String ?? "", Hooks.payload($0)["data"] as? [String: Any] ?? [:]) },
                    uniquingKeysWith: { first, _ in first })
                #expect(Set(byType.keys) == ["task.completed", "task.failed", "run.completed"])
                #expect(byType["task.completed"]?["task_id"] as? String == leases[0].task.taskID && byType["task.completed"]?["call_id"] as? String == "c1")
                #expect(byType["task.failed"]?["reason"] as? String == "the number cannot be dialled" && byType["task.failed"]?["run_id"] as? String == run.runID)
                let finished = try #require(byType["run.completed"])
                #expect(finished["run_id"] as? String == run.runID && finished["status"] as? String == "completed")
                #expect(finished["completed_tasks"] as? Int == 1 && finished["failed_tasks"] as? Int == 1 && finished["total_tasks"] as? Int == 2)
            }
        }
    }

    /// An endpoint slower than the request timeout (15 s by default, shortened here) is a failed
    /// try, retried on the schedule like any other failure.
    @Test func aSlowEndpointTimesOutAndIsTriedAgain() async throws {
        try await WebhookReceiver.with { receiver in
            try await withServer(
                .sqlite,
                configure: {
                    Self.allowPrivate(&$0)
                    $0.webhooks.timeout = .milliseconds(300)
                },
                seed: WorkspaceTests.seed
            ) { server, seed in
                let token = seed.owner.token
                let slow = try await Hooks.endpoint(server, token, receiver.url("/slow"), events: ["call.ended"])
                receiver.answer("/slow", [.init(status: 200, retryAfter: nil, delay: .seconds(3))])
                _ = try await Hooks.call(server, seed)
                var attempt: [String: Any] = [:]
                try await eventually(within: 10) {
                    attempt = (try await Hooks.send(server, .get, "\(slow.id)/attempts/", token).json["data"] as? [[String: Any]])?.first ?? [:]
                    return !attempt.isEmpty
                }
                #expect(attempt["succeeded"] as? Bool == false && attempt["status_code"] is NSNull, "\(attempt)")
                #expect((attempt["latency_ms"] as? Int).map { $0 < 2000 } == true, "the try ended at the timeout, not the answer: \(attempt)")
                let delivery = try await Hooks.deliveries(server, token, slow.id).first ?? [:]
                #expect(delivery["status"] as? String == "pending" && delivery["next_attempt_at"] is String, "\(delivery)")
            }
        }
    }

    /// Old messages are forgotten with their deliveries and attempts; a deleted endpoint takes its
    /// deliveries and attempts with it (both through ON DELETE CASCADE, on both engines).
    @Test(arguments: TestDatabase.all)
    func pruningAndDeletingLeaveNoDeliveriesOrAttemptsBehind(engine: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestStore(engine, clock: clock) { store, _ in
            let owner = try await Fixture.make(store, handle: "acme")
            func count(_ table: String) async throws -> Int {
                try await store.database.withConnection { db in try await db.raw("SELECT id FROM \(unsafeRaw: table)").all().count }
            }
            _ = try await store.createAgent(
                orgID: owner.organization.id, handle: "bot", name: "Bot", type: "Voice", purpose: "", voiceProfileID: nil, publish: true, actor: .cli)
            let agent = try #require(try await store.agent(handle: "bot"))
            func endOneCall() async throws {
                let call = try await store.createCall(
                    NewCall(orgID: owner.organization.id, agent: agent, direction: "web", callerToken: UUID().uuidString, nodeID: "n"), actor: .cli)
                try await store.endCall(call.callID, status: .failed, endReason: "x", transcript: [])
                let claimed = try await store.claimWebhooks(limit: 10, lease: 60)
                for dispatch in claimed {
                    try await store.finishWebhook(
                        dispatch, WebhookAttemptResult(outcome: .delivered, statusCode: 200, latencyMS: 1, response: "", error: nil))
                }
            }
            let (first, _) = try await store.createWebhookEndpoint(
                orgID: owner.organization.id, url: "https://example.com/a", description: "", events: [], actor: .cli)
            _ = try await store.createWebhookEndpoint(
                orgID: owner.organization.id, url: "https://example.com/b", description: "", events: [], actor: .cli)
            try await endOneCall()
            let (deliveries, attempts) = (try await count("webhook_deliveries"), try await count("webhook_attempts"))
            #expect(deliveries == 2 && attempts == 2)
            try await store.deleteWebhookEndpoint(orgID: owner.organization.id, endpointID: first.endpointID, actor: .cli)
            let (kept, keptAttempts) = (try await count("webhook_deliveries"), try await count("webhook_attempts"))
            #expect(kept == 1 && keptAttempts == 1)
            clock.advance(by: 31 * 86_400)
            try await endOneCall()
            try await store.pruneWebhooks(olderThan: 30 * 86_400)
            #expect(try await count("webhook_messages") == 1, "only the new call's message is kept")
            let (left, leftAttempts) = (try await count("webhook_deliveries"), try await count("webhook_attempts"))
            #expect(left == 1 && leftAttempts == 1)
        }
    }

    /// A node that stopped mid-delivery: its lease runs out, another claim takes the delivery (the
    /// same message), and the first claim's late answer is refused.
    @Test(arguments: TestDatabase.all)
    func aStoppedNodesDeliveryIsTakenOverAndItsLateAnswerRefused(engine: TestDatabase) async throws {
        let clock = ManualClock()
        try await withTestStore(engine, clock: clock) { store, _ in
            let owner = try await Fixture.make(store, handle: "acme")
            let (endpoint, _) = try await store.createWebhookEndpoint(
                orgID: owner.organization.id, url: "https://example.com/hook", description: "", events: [], actor: .cli)
            _ = try await store.createAgent(
                orgID: owner.organization.id, handle: "bot", name: "Bot", type: "Voice", purpose: "", voiceProfileID: nil, publish: true, actor: .cli)
            let agent = try #require(try await store.agent(handle: "bot"))
            let call = try await store.createCall(
                NewCall(orgID: owner.organization.id, agent: agent, direction: "web", callerToken: "t", nodeID: "n"), actor: .cli)
            try await store.endCall(call.callID, status: .failed, endReason: "x", transcript: [])
            let first = try await store.claimWebhooks(limit: 10, lease: 60)
            #expect(first.count == 1 && first[0].endpointID == endpoint.endpointID && first[0].attempt == 1)
            #expect(try await store.claimWebhooks(limit: 10, lease: 60).isEmpty, "leased")
            clock.advance(by: 61)
            let second = try await store.claimWebhooks(limit: 10, lease: 60)
            #expect(second.count == 1 && second[0].messageID == first[0].messageID && second[0].attempt == 2)
            let ok = WebhookAttemptResult(outcome: .delivered, statusCode: 200, latencyMS: 1, response: "", error: nil)
            #expect(try await store.finishWebhook(first[0], ok) == false)
            #expect(try await store.finishWebhook(second[0], ok) == true)
            #expect(try await store.webhookDeliveries(orgID: owner.organization.id, endpointID: endpoint.endpointID, limit: 10)?.first?.status == "delivered")
        }
    }
}
