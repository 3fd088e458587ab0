import Foundation
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// `POST /call-logs/` (issue 6, item 4): a runtime reports a call once, however often it retries;
/// what it reports is checked; the list shows it to its organization only.
@Suite struct CallReportingTests {
    static let body = #"""
        {"call_id": "call_0001", "source_number": "+14155550101", "destination_number": "+919876543210",
         "call_type": "outbound", "call_status": "completed", "creation_time": "2027-01-15T07:00:00Z",
         "start_time": "2027-01-15T07:00:05.000Z", "end_time": "2027-01-15T07:05:30Z", "call_duration": "0:05:25",
         "end_reason": "customer-ended-call"}
        """#

    @Test(arguments: TestDatabase.all)
    func aReportIsStoredOnceAndRetriesGetTheStoredRow(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            let other = try await Fixture.make(server.store, email: "b@example.com", handle: "beta")
            let auth = "Token \(owner.token)"
            let first = try await server.request(.post, Paths.callLogs, authorization: auth, orgHandle: "acme", json: Self.body)
            #expect(first.status.code == 201, "\(first.text)") // the test clock stands at 2027-01-15T08:00:00Z
            let stored = try first.decode(ObjectEnvelope<Components.Schemas.CallLog>.self)
            #expect(stored.message == "Call log recorded successfully." && stored.statusCode == 201)
            #expect(stored.data.callDuration == 325 && stored.data.callStatus == .completed && stored.data.id > 0)
            #expect(stored.data.startTime.value == Timestamp.parse("2027-01-15T07:00:05Z")?.date)

            for _ in 0..<3 {
                let retry = try await server.request(.post, Paths.callLogs, authorization: auth, orgHandle: "acme", json: Self.body)
                #expect(retry.status == .ok)
                let again = try retry.decode(ObjectEnvelope<Components.Schemas.CallLog>.self)
                #expect(again.message == "Call log already recorded." && again.data == stored.data)
            }
            let changed = try await server.request(
                .post, Paths.callLogs, authorization: auth, orgHandle: "acme",
                json: Self.body.replacingOccurrences(of: "customer-ended-call", with: "no_answer"))
            #expect(changed.status == .conflict)

            let list = try await server.get(Paths.callLogs, token: owner.token, orgHandle: "acme").decode(ListEnvelope<Components.Schemas.CallLog>.self)
            #expect(list.count == 1 && list.data == [stored.data])
            // The same call_id in another organization is another call.
            let beta = try await server.request(
                .post, Paths.callLogs, authorization: "Token \(other.token)", orgHandle: "beta", json: Self.body)
            #expect(beta.status.code == 201)
            #expect(try await server.get(Paths.callLogs, token: other.token, orgHandle: "beta").decode(ListEnvelope<Components.Schemas.CallLog>.self).count == 1)
            let events = try await server.store.auditEvents(AuditFilter(orgID: owner.organization.id, action: "call_log.reported"), page: 1, pageSize: 5)
            #expect(events.count == 1)
            // The date filters take the documented forms.
            for query in ["start_date=2027-01-15", "start_date=2027-01-15T07:00:00Z&end_date=2027-01-15", "end_date=2027-01-15T08:00:00.000Z"] {
                let filtered = try await server.get(Paths.callLogs + "?" + query, token: owner.token, orgHandle: "acme")
                #expect(try filtered.decode(ListEnvelope<Components.Schemas.CallLog>.self).count == 1, "\(query)")
            }
            let before = try await server.get(Paths.callLogs + "?end_date=2027-01-14", token: owner.token, orgHandle: "acme")
            #expect(try before.decode(ListEnvelope<Components.Schemas.CallLog>.self).count == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badReportsAre400AndMembersCannotReport(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            let auth = "Token \(owner.token)"
            for (from, to) in [
                ("+14155550101", "4155550101"), ("\"outbound\"", "\"sideways\""), ("\"completed\"", "\"missed\""),
                ("\"0:05:25\"", "\"0:09:00\""), ("\"0:05:25\"", "-3"), ("2027-01-15T07:05:30Z", "2027-01-15T06:00:00Z"),
                ("\"call_0001\"", "\"\""), ("2027-01-15T07:00:00Z", "2099-01-01T00:00:00Z"), ("\"0:05:25\"", "\"5 minutes\""),
            ] {
                let response = try await server.request(
                    .post, Paths.callLogs, authorization: auth, orgHandle: "acme",
                    json: Self.body.replacingOccurrences(of: from, with: to))
                #expect(response.status == .badRequest && response.error?.code == "invalid_parameters", "\(from) → \(to): \(response.text)")
                #expect(response.error?.errors?.isEmpty == false)
            }
            #expect(try await server.store.callLogs(orgID: owner.organization.id, filter: .init(), page: 1, pageSize: 5).count == 0)
            let member = try await server.store.createUser(email: "m@example.com", password: "long enough password")
            try await server.store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
            let memberKey = try await server.store.createAPIKey(userID: member.id, name: "m", scopes: .all, organization: nil, expiresAt: nil)
            expectError(
                try await server.request(.post, Paths.callLogs, authorization: "Token \(memberKey.token)", orgHandle: "acme", json: Self.body),
                .permissionDenied)
            #expect(try await server.get(Paths.callLogs, token: memberKey.token, orgHandle: "acme").status == .ok, "members read")
        }
    }
}
