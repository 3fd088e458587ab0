import Foundation
import HummingbirdTesting
import Testing
import UnpodAPI
import UnpodClient
import UnpodCore
import UnpodPersistence
@testable import UnpodServer
import UnpodTestSupport

/// ANA-1 and BIL-1 (issue 9, items 5 and 6), from tasks completed by a worker, on SQLite and PostgreSQL.
@Suite(.serialized) struct AnalyticsBillingTests {
    static let api = WorkspaceTests.api

    /// Completes every task with the outcome, score and duration its contact's index picks.
    static func completeAll(_ server: TestServer, _ seed: WorkspaceTests.Seed, count: Int) async throws {
        let token = try await AccessTokenBuilder(
            keyID: seed.owner.key.keyId, secret: seed.owner.token, identity: "w", video: VideoGrant(agent: true)
        ).build(now: server.clock.now())
        let worker = WorkerConnection(serverURL: "ws://127.0.0.1:\(server.port)", token: token, agents: ["sales-bot"], capacity: 5)
        _ = try await WorkerTests.createTasks(server, seed, count: count)
        var completed = 0
        for await event in worker.events {
            switch event {
            case .assignment(let lease, _, let task):
                let index = Int(task.input["name"]?.stringValue?.split(separator: " ").last ?? "0") ?? 0
                try await worker.complete(lease, output: Self.output(index))
            case .answer("completed", _, _, _):
                completed += 1
                if completed == count {
                    try await worker.close()
                    return
                }
            case .closed: return
            default: continue
            }
        }
    }

    /// Index 0, 4, 8…: interested (score 0.9, 95 s); 1, 5, …: call_back (0.5, 61 s); 2, 6, …: not interested
    /// via the nested shape (0.1, 30 s); 3, 7, …: not connected (missed, 0 s, no score).
    static func output(_ index: Int) -> JSONValue {
        switch index % 4 {
        case 0: .object(["duration": .integer(95), "post_call_data": .object(["outcome": .string("Interested"), "success_score": .number(0.9)])])
        case 1: .object(["duration": .integer(61), "post_call_data": .object(["outcome": .string("callback"), "success_score": .number(0.5)])])
        case 2: .object(["duration": .integer(30), "post_call_data": .object(["profile_summary": .object(["outcome": .string("not interested")]), "score": .number(0.1)])])
        default: .object(["duration": .integer(0), "call_status": .string("missed"), "post_call_data": .object([:])])
        }
    }

    @Test(arguments: TestDatabase.all)
    func analyticsAddUpAndAnEmptyOrganizationIsAllZeros(engine: TestDatabase) async throws {
        try await withServer(engine, configure: WorkerTests.configure, seed: WorkspaceTests.seed, Self.analytics)
    }

    static func analytics(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws {
        let empty = try await server.get("\(api)/organisation/analytics/", token: seed.owner.token, orgHandle: "acme")
        #expect(empty.status == .ok && empty.json["message"] as? String == "Analytics fetched successfully")
        let zero = try empty.decode(ObjectEnvelope<Components.Schemas.Analytics>.self).data
        #expect(zero == Components.Schemas.Analytics(Analytics(Analytics.Counts())) && zero.callStatus.successRate == 0 && zero.avgDurationSeconds == 0)

        try await completeAll(server, seed, count: 8)
        // Two more tasks that stay pending, and a non-contact space whose tasks do not count.
        _ = try await WorkerTests.createTasks(server, seed, count: 2)
        let data = try (try await server.get("\(api)/organisation/analytics/", token: seed.owner.token, orgHandle: "acme"))
            .decode(ObjectEnvelope<Components.Schemas.Analytics>.self).data
        #expect(data.callAnalytics.totalCalls == 8 && data.callAnalytics.interested == 2 && data.callAnalytics.callBack == 2)
        #expect(data.callAnalytics.notInterested == 2 && data.callAnalytics.notConnected == 2 && data.callAnalytics.failed == 0)
        #expect(data.callAnalytics.avgSuccessScore == 0.5, "(0.9 + 0.5 + 0.1) × 2 / 6")
        #expect(data.callStatus.totalTasks == 10 && data.callStatus.completed == 8 && data.callStatus.pending == 2)
        #expect(data.callStatus.successRate == 100)
        #expect(data.totalCalls == 8 && data.completedCalls == 8 && data.failedCalls == 0 && data.totalTasks == 10)
        #expect(data.avgDurationSeconds == 46.5, "(95 + 61 + 30 + 0) × 2 / 8")
        let breakdown = data.taskStatusBreakdown
        #expect(breakdown.pending == 2 && breakdown.running == 0 && breakdown.completed == 8 && breakdown.failed == 0)

        let one = try await server.get(
            "\(api)/organisation/analytics/?space_token=\(seed.space.token)", token: seed.owner.token, orgHandle: "acme")
        #expect(try one.decode(ObjectEnvelope<Components.Schemas.Analytics>.self).data == data)
        expectError(
            try await server.get("\(api)/organisation/analytics/?space_token=\(seed.otherSpace.token)", token: seed.owner.token, orgHandle: "acme"),
            .notFound("Space not found."))
        expectError(try await server.get("\(api)/organisation/analytics/", token: seed.owner.token), .orgHandleRequired)
        let table = try await server.store.createSpace(
            orgID: seed.owner.organization.id, name: "Docs", contentType: "table", agentHandle: nil, actor: .cli)
        let tableOnly = try await server.get(
            "\(api)/organisation/analytics/?space_token=\(table.token)", token: seed.owner.token, orgHandle: "acme")
        #expect(try tableOnly.decode(ObjectEnvelope<Components.Schemas.Analytics>.self).data.totalTasks == 0, "only contact spaces count")
    }

    @Test(arguments: TestDatabase.all)
    func invoicesBillEachCallOnceRoundedUpToTheMinute(engine: TestDatabase) async throws {
        try await withServer(engine, configure: WorkerTests.configure, seed: WorkspaceTests.seed, Self.billing)
    }

    static func billing(_ server: TestServer, _ seed: WorkspaceTests.Seed) async throws {
        let store = server.store
        let orgID = seed.owner.organization.id
        try await store.setBillingPlan(
            orgID: orgID, BillingPlan(perMinuteMicros: try #require(Money.micros("0.020")), currency: "usd", taxBasisPoints: 1800, perSecond: false),
            actor: .cli)
        try await completeAll(server, seed, count: 8)
        let period = BillingPeriod(containing: server.clock.now())
        let invoice = try await store.closeInvoice(orgID: orgID, period: period, actor: .cli)
        // 95 s → 2 min, 61 s → 2, 30 s → 1, missed → not billed; twice each: 10 minutes × 0.020 = 0.20.
        #expect(invoice.invoiceNumber == "INV-00001" && invoice.calls == 6 && invoice.billedUnits == 10)
        #expect(invoice.billableSeconds == 372 && invoice.amount == "0.20" && invoice.taxAmount == "0.04" && invoice.currency == "USD")
        await #expect(throws: StoreError.duplicate("\(period) is already invoiced")) {
            try await store.closeInvoice(orgID: orgID, period: period, actor: .cli)
        }

        // The month after: the server closes it on its own once it has ended, with only the calls since.
        server.clock.advance(by: 40 * 86_400)
        try await completeAll(server, seed, count: 1)
        #expect(try await store.closeEndedMonth().isEmpty, "the month before is already closed")
        server.clock.advance(by: 10 * 86_400)
        let automatic = try await store.closeEndedMonth()
        #expect(automatic.count == 1 && automatic.first?.invoiceNumber == "INV-00002" && automatic.first?.calls == 1)
        #expect(automatic.first?.amount == "0.04")

        let listed = try await server.get("\(api)/organisation/billing/", token: seed.owner.token, orgHandle: "acme")
        #expect(listed.status == .ok && listed.json["message"] as? String == "Billing data fetched successfully")
        let list = try listed.decode(Components.Schemas.InvoiceList.self)
        #expect(list.count == 2 && list.data == list.results && list.data.map(\.invoiceNumber) == ["INV-00002", "INV-00001"])
        let other = try await server.get("\(api)/organisation/billing/", token: seed.outsider.token, orgHandle: "other")
        #expect(try other.decode(Components.Schemas.InvoiceList.self).count == 0)
        expectError(try await server.get("\(api)/organisation/billing/", token: seed.outsider.token, orgHandle: "acme"), .invalidOrganization)
    }
}
