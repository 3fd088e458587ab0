import Foundation
import SQLKit
import Synchronization
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Issue 6: the real server killed with SIGKILL while a client creates bridges, attaches numbers
/// and reports calls; after a restart every answered write is there and nothing is half-written.
@Suite(.serialized) struct TelephonyCrashTests {
    final class Answered: Sendable {
        let bridges = Mutex<[String]>([])
        let numbers = Mutex<[String]>([])
        let calls = Mutex<[String]>([])
    }

    @Test(arguments: TestDatabase.all)
    func noAnsweredTelephonyWriteIsLost(_ engine: TestDatabase) async throws {
        let database = try await TestDatabaseInstance.make(engine)
        let store = try await database.openStore()
        let owner = try await Fixture.make(store)
        let twilio = try #require(try await store.provider(.slug("twilio")))
        let pool = (0..<300).map { "+1415555\(String(format: "%04d", $0))" }
        _ = try await store.addNumbers(pool, orgID: owner.organization.id, provider: twilio)
        await store.shutdown()

        let server = try await ServerProcess(database: database.location)
        let client = UnpodClient(baseURL: server.baseURL, token: owner.token, orgHandle: "acme")
        _ = try await client.createBridge(.init(name: "First", slug: "first"))
        let answered = Answered()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<10_000 {
                    guard let bridge = try? await client.createBridge(.init(name: "Bridge \(index)")) else { return }
                    answered.bridges.withLock { $0.append(bridge.slug) }
                }
            }
            group.addTask {
                for number in pool {
                    guard let result = try? await client.attachNumbers(.init(numbers: [number], bridgeSlug: "first")) else { return }
                    if result.numbers.first?.ok == true { answered.numbers.withLock { $0.append(number) } }
                }
            }
            group.addTask {
                for index in 0..<10_000 {
                    let call = Components.Schemas.ReportCallLogRequest(
                        callId: "crash-\(index)", sourceNumber: "+14155550000", destinationNumber: "+919876543210",
                        callType: .outbound, callStatus: .failed, callDuration: .case1(0))
                    guard (try? await client.reportCallLog(call)) != nil else { return }
                    answered.calls.withLock { $0.append(call.callId) }
                }
            }
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(10),
                answered.bridges.withLock({ $0.count }) < 20 || answered.numbers.withLock({ $0.count }) < 20
                    || answered.calls.withLock({ $0.count }) < 20
            {
                try await Task.sleep(for: .milliseconds(50))
            }
            server.kill()
            try await group.waitForAll()
        }
        let bridges = answered.bridges.withLock { $0 }
        let numbers = answered.numbers.withLock { $0 }
        let calls = answered.calls.withLock { $0 }
        #expect(bridges.count >= 20 && numbers.count >= 20 && calls.count >= 20, "\(bridges.count) \(numbers.count) \(calls.count)")

        let reopened = try await database.openStore()
        let orgID = owner.organization.id
        for slug in bridges { #expect(try await reopened.bridge(slug, orgID: orgID) != nil, "bridge \(slug) lost") }
        let first = try #require(try await reopened.bridge("first", orgID: orgID))
        let onFirst = Set(first.numbers.map(\.number))
        for number in numbers { #expect(onFirst.contains(number), "attachment of \(number) lost") }
        let stored = try await reopened.callLogs(orgID: orgID, filter: .init(), page: 1, pageSize: 100)
        #expect(stored.count >= calls.count)
        // Nothing half-written: no number on a bridge that does not exist, no bridge linked to a
        // configuration that does not exist, one audit event per answered bridge.
        let dangling = try await reopened.database.withConnection { db in
            try await db.raw(
                """
                SELECT (SELECT COUNT(*) FROM numbers n LEFT JOIN bridges b ON b.id = n.bridge_id
                        WHERE n.bridge_id IS NOT NULL AND b.id IS NULL)
                     + (SELECT COUNT(*) FROM bridges b LEFT JOIN provider_configurations c ON c.id = b.provider_configuration_id
                        WHERE b.provider_configuration_id IS NOT NULL AND c.id IS NULL) AS n
                """
            ).first()!.decode(column: "n", as: Int.self)
        }
        #expect(dangling == 0)
        let created = try await reopened.auditEvents(AuditFilter(orgID: orgID, action: "bridge.created"), page: 1, pageSize: 1)
        let bridgeCount = try await reopened.bridges(orgID: orgID, page: 1, pageSize: 1).count
        #expect(created.count == bridgeCount, "every stored bridge has its event and no event lacks its bridge")
        await reopened.shutdown()
        await database.remove()
    }
}
