import Foundation
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The whole loop with the real binaries (issue 9): `unpod serve`, two `unpod worker --simulate`,
/// tasks created over the API; and the faults: a worker killed mid-call, the server killed mid-run.
@Suite(.serialized) struct WorkerEndToEndTests {
    struct World {
        let owner: Fixture
        let space: Space
    }

    static func world(_ store: SQLStore) async throws -> World {
        let owner = try await Fixture.make(store)
        _ = try await store.createAgent(
            orgID: owner.organization.id, handle: "sales-bot", name: "Sales", type: "Voice", purpose: "", voiceProfileID: nil,
            publish: true, actor: .cli)
        let space = try await store.createSpace(
            orgID: owner.organization.id, name: "Leads", contentType: "contact", agentHandle: "sales-bot", actor: .cli)
        return World(owner: owner, space: space)
    }

    static func contacts(_ count: Int, from first: Int = 0) -> [JSONValue] {
        (first..<first + count).map {
            .object(["name": .string("Contact \($0)"), "contact_number": .string("+1415555\(String(format: "%04d", $0))")])
        }
    }

    static func waitForRun(_ client: UnpodClient, space: String, runID: String, seconds: Double) async throws -> Components.Schemas.Run {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(seconds) {
            if let run = try await client.runs(inSpace: space).data.first(where: { $0.runId == runID }),
                run.status == .completed || run.status == .failed
            {
                return run
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("run \(runID) did not finish within \(seconds) s")
        throw CancellationError()
    }

    /// Every task of the run completed, each with one call log.
    static func expectCompletedOnce(_ client: UnpodClient, space: String, run: Components.Schemas.CreatedRun) async throws {
        let tasks = try await client.tasks(ofRun: run.runId, inSpace: space, pageSize: 100)
        #expect(tasks.count == run.taskIds.count && tasks.data.allSatisfy { $0.status == .completed })
        #expect(tasks.data.allSatisfy { $0.output["call_id"] == .string("sim_" + $0.taskId) })
        let logs = try await client.callLogs(pageSize: 100)
        let callIDs = logs.data.map(\.callId).filter { $0.hasPrefix("sim_") }
        #expect(callIDs.count == Set(callIDs).count, "no call logged twice")
        #expect(Set(run.taskIds.map { "sim_" + $0 }).isSubset(of: Set(callIDs)))
    }

    @Test(arguments: TestDatabase.all)
    func twoSimulatedWorkersCarryOutFiftyCallsEachOnce(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let world = try await Self.world(store)
            let server = try await ServerProcess(database: database.location)
            defer { server.stop() }
            let workers = try (0..<2).map { _ in
                try WorkerProcess(url: server.baseURL, apiKey: world.owner.token, agent: "sales-bot", concurrency: 3, callMilliseconds: 50)
            }
            defer { workers.forEach { $0.stop() } }
            let client = UnpodClient(baseURL: server.baseURL, token: world.owner.token, orgHandle: "acme")
            let run = try await client.createTasks(
                inSpace: world.space.token, pilot: "sales-bot", documents: Self.contacts(50), context: "Demo")
            let finished = try await Self.waitForRun(client, space: world.space.token, runID: run.runId, seconds: 60)
            #expect(finished.status == .completed)
            try await Self.expectCompletedOnce(client, space: world.space.token, run: run)
            #expect(workers.map(\.completions).reduce(0, +) == 50, "50 results recorded, none refused or repeated")
            #expect(workers.allSatisfy { $0.completions > 0 }, "both workers took calls: \(workers.map(\.completions))")
            let logs = try await client.callLogs(pageSize: 100)
            #expect(logs.count == 50)
            let executions = try await client.executions(ofAgent: "sales-bot")
            #expect(executions.data.first?.completedTasks == 50 && executions.data.first?.totalTasks == 50)
            try await Self.expectAnalyticsAndInvoiceAddUp(client, database: database, calls: logs.data)
        }
    }

    /// Analytics count the 50 calls once each, in the simulator's buckets; `unpod billing close`
    /// bills each connected call rounded up to its minute at the plan's rate.
    static func expectAnalyticsAndInvoiceAddUp(_ client: UnpodClient, database: TestDatabaseInstance, calls: [Components.Schemas.CallLog]) async throws {
        let analytics = try await client.analytics()
        let buckets = analytics.callAnalytics
        #expect(buckets.totalCalls == 50 && analytics.callStatus.completed == 50 && analytics.callStatus.successRate == 100)
        #expect(buckets.interested + buckets.callBack + buckets.notInterested + buckets.notConnected == 50)
        let connected = calls.filter { $0.callStatus == .completed && $0.callDuration > 0 }
        #expect(buckets.notConnected == 50 - connected.count)

        let databaseFlag = ["--database", ServerProcess.text(database.location)]
        let plan = try UnpodBinary.run(
            ["billing", "plan", "--org", "acme", "--per-minute", "0.020", "--currency", "USD", "--tax-rate", "18"] + databaseFlag,
            environment: testSecretsEnvironment)
        #expect(plan.status == 0, "\(plan.output)")
        let period = BillingPeriod(containing: Date()).description
        let close = try UnpodBinary.run(["billing", "close", "--org", "acme", "--period", period] + databaseFlag, environment: testSecretsEnvironment)
        #expect(close.status == 0 && close.output.hasPrefix("INV-00001 \(period)"), "\(close.output)")
        let minutes = connected.map { Int64(($0.callDuration + 59) / 60) }.reduce(0, +)
        let invoice = try #require(try await client.invoices().data.first)
        #expect(invoice.calls == connected.count && invoice.billedUnits == minutes)
        #expect(invoice.amount == Money.format(cents: Money.roundedDivision(minutes * 20_000, 10_000)), "\(minutes) minutes × 0.020")
        #expect(invoice.taxAmount == Money.format(cents: Money.roundedDivision(Money.roundedDivision(minutes * 20_000, 10_000) * 1800, 10_000)))
    }

    @Test(arguments: TestDatabase.all)
    func aWorkerKilledMidCallLosesItsTaskToTheOtherWhichCompletesItOnce(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let world = try await Self.world(store)
            let server = try await ServerProcess(database: database.location)
            defer { server.stop() }
            let client = UnpodClient(baseURL: server.baseURL, token: world.owner.token, orgHandle: "acme")
            let doomed = try WorkerProcess(url: server.baseURL, apiKey: world.owner.token, agent: "sales-bot", concurrency: 1, callMilliseconds: 60_000)
            defer { doomed.stop() }
            let run = try await client.createTasks(
                inSpace: world.space.token, pilot: "sales-bot", documents: Self.contacts(1))
            // Wait until the doomed worker is on the call.
            let start = ContinuousClock.now
            while try await client.tasks(ofRun: run.runId, inSpace: world.space.token).data.first?.status != .running {
                guard ContinuousClock.now - start < .seconds(20) else {
                    Issue.record("the first worker never started the call: \(doomed.output)")
                    return
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            let survivor = try WorkerProcess(url: server.baseURL, apiKey: world.owner.token, agent: "sales-bot", concurrency: 1, callMilliseconds: 50)
            defer { survivor.stop() }
            doomed.kill()
            let finished = try await Self.waitForRun(client, space: world.space.token, runID: run.runId, seconds: 40)
            #expect(finished.status == .completed)
            try await Self.expectCompletedOnce(client, space: world.space.token, run: run)
            #expect(survivor.completions == 1 && doomed.completions == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aServerKilledMidRunFinishesItAfterARestartWithNoTaskLostOrDoubled(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let world = try await Self.world(store)
            let lease = ["--worker-lease", "3"]
            let first = try await ServerProcess(database: database.location, arguments: lease)
            defer { first.stop() }
            let client = UnpodClient(baseURL: first.baseURL, token: world.owner.token, orgHandle: "acme")
            let early = try WorkerProcess(url: first.baseURL, apiKey: world.owner.token, agent: "sales-bot", concurrency: 2, callMilliseconds: 300)
            defer { early.stop() }
            let run = try await client.createTasks(
                inSpace: world.space.token, pilot: "sales-bot", documents: Self.contacts(20))
            let start = ContinuousClock.now
            while early.completions < 4, ContinuousClock.now - start < .seconds(20) { try await Task.sleep(for: .milliseconds(20)) }
            first.kill()
            early.stop()

            let second = try await ServerProcess(database: database.location, arguments: lease)
            defer { second.stop() }
            let late = try WorkerProcess(url: second.baseURL, apiKey: world.owner.token, agent: "sales-bot", concurrency: 4, callMilliseconds: 50)
            defer { late.stop() }
            let restarted = UnpodClient(baseURL: second.baseURL, token: world.owner.token, orgHandle: "acme")
            let finished = try await Self.waitForRun(restarted, space: world.space.token, runID: run.runId, seconds: 60)
            #expect(finished.status == .completed)
            try await Self.expectCompletedOnce(restarted, space: world.space.token, run: run)
            #expect(try await restarted.callLogs(pageSize: 100).count == 20)
        }
    }

    @Test(arguments: TestDatabase.all)
    func twoServerNodesWithAWorkerEachNeverGiveATaskTwice(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, database in
            let world = try await Self.world(store)
            let nodes = [try await ServerProcess(database: database.location), try await ServerProcess(database: database.location)]
            defer { nodes.forEach { $0.stop() } }
            let workers = try nodes.map {
                // 100 ms a call: one worker alone would need 1.5 s for the 60 tasks, well over the other
                // node's poll (250 ms; only the node where the run is made is woken at once).
                try WorkerProcess(url: $0.baseURL, apiKey: world.owner.token, agent: "sales-bot", concurrency: 4, callMilliseconds: 100)
            }
            defer { workers.forEach { $0.stop() } }
            // Both workers connected before the run exists: on a loaded machine the second process
            // could otherwise start after the first had taken every task.
            try await eventually(within: 20) { workers.allSatisfy { $0.output.contains("registered") } }
            let client = UnpodClient(baseURL: nodes[0].baseURL, token: world.owner.token, orgHandle: "acme")
            let run = try await client.createTasks(
                inSpace: world.space.token, pilot: "sales-bot", documents: Self.contacts(60))
            let finished = try await Self.waitForRun(client, space: world.space.token, runID: run.runId, seconds: 60)
            #expect(finished.status == .completed)
            try await Self.expectCompletedOnce(client, space: world.space.token, run: run)
            #expect(workers.map(\.completions).reduce(0, +) == 60, "no task given twice: \(workers.map(\.completions))")
            #expect(workers.allSatisfy { $0.completions > 0 }, "both nodes dispatched: \(workers.map(\.completions))")
        }
    }
}
