import Foundation
import Testing
import UnpodCore
import UnpodTestSupport
@testable import UnpodPersistence

@Suite struct CallLogStoreTests {
    static func call(_ index: Int, at time: Date, type: CallLog.CallType = .inbound, status: CallLog.CallStatus = .completed) -> CallLog {
        CallLog(
            id: 0, callId: "CALL_\(index)", sourceNumber: "+14155550100", destinationNumber: "+14155550199",
            callType: type, callStatus: status, creationTime: time,
            startTime: status == .missed ? nil : time, endTime: status == .missed ? nil : time.addingTimeInterval(60),
            callDuration: status == .missed ? 0 : 60, endReason: "caller_hangup")
    }

    @Test(arguments: TestDatabase.all)
    func pagesAreNewestFirstFilteredAndScopedToTheOrganization(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let acme = try await Fixture.make(store)
            let other = try await Fixture.make(store, email: "o@example.com", handle: "other")
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            for index in 0..<25 {
                try await store.insertCallLog(
                    orgID: acme.organization.id,
                    Self.call(index, at: start.addingTimeInterval(Double(index) * 60), type: index % 2 == 0 ? .inbound : .outbound))
            }
            try await store.insertCallLog(orgID: other.organization.id, Self.call(99, at: start))

            let first = try await store.callLogs(orgID: acme.organization.id, filter: .init(), page: 1, pageSize: 10)
            #expect(first.count == 25)
            #expect(first.items.map(\.callId) == (15..<25).reversed().map { "CALL_\($0)" })
            let last = try await store.callLogs(orgID: acme.organization.id, filter: .init(), page: 3, pageSize: 10)
            #expect(last.items.count == 5)
            let beyond = try await store.callLogs(orgID: acme.organization.id, filter: .init(), page: 4, pageSize: 10)
            #expect(beyond.count == 25 && beyond.items.isEmpty)

            let outbound = try await store.callLogs(
                orgID: acme.organization.id, filter: .init(callType: .outbound), page: 1, pageSize: 100)
            #expect(outbound.count == 12)
            let window = try await store.callLogs(
                orgID: acme.organization.id,
                filter: .init(from: start.addingTimeInterval(60), before: start.addingTimeInterval(180)), page: 1, pageSize: 100)
            #expect(window.items.map(\.callId) == ["CALL_2", "CALL_1"])

            let theirs = try await store.callLogs(orgID: other.organization.id, filter: .init(), page: 1, pageSize: 100)
            #expect(theirs.items.map(\.callId) == ["CALL_99"])
        }
    }
}
