import Foundation
import HTTPTypes
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

@Suite struct TenancyTests {
    @Test(arguments: TestDatabase.all)
    func organizationsListsTheCallersOrganizationsInTheDocumentedShape(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            let second = try await server.store.createOrganization(name: "Second", handle: "second.io", ownerID: owner.user.id)
            _ = try await Fixture.make(server.store, email: "x@example.com", handle: "not-mine")

            for path in [Paths.organizations, "/api/v2/platform/organizations"] {
                let response = try await server.get(path, token: owner.token)
                #expect(response.status == .ok, "\(path) answers without a redirect")
                let json = response.json
                #expect(json["count"] as? Int == 2)
                #expect(json["status_code"] as? Int == 200)
                #expect(json["message"] as? String == "Organizations fetched successfully")
                let data = try #require(json["data"] as? [[String: Any]])
                #expect(data.map { $0["domain_handle"] as? String } == ["acme", "second.io"])
                #expect(Set(data[0].keys) == ["id", "name", "domain_handle", "created_at"])
                #expect(data[1]["id"] as? Int == second.id)
                #expect((data[0]["created_at"] as? String)?.hasSuffix("Z") == true)
            }

            let restricted = try await server.store.createAPIKey(
                userID: owner.user.id, name: "r", scopes: .all, organization: second, expiresAt: nil)
            let only = try await server.get(Paths.organizations, token: restricted.token).decode(ListEnvelope<Components.Schemas.Organization>.self)
            #expect(only.data.map(\.domainHandle) == ["second.io"])
            expectError(
                try await server.get(Paths.callLogs, token: restricted.token, orgHandle: "acme"), .invalidOrganization)
            #expect(try await server.get(Paths.callLogs, token: restricted.token, orgHandle: "second.io").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func callLogsAreTheOrganizationsOwnPagedAndFiltered(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            let other = try await Fixture.make(server.store, email: "o@example.com", handle: "other")
            let start = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
            for index in 0..<30 {
                let time = start.addingTimeInterval(Double(index) * 3600)
                try await server.store.insertCallLog(
                    orgID: owner.organization.id,
                    CallLog(
                        id: 0, callId: "CALL_\(index)", sourceNumber: "+14155550100", destinationNumber: "+14155550101",
                        callType: index % 3 == 0 ? .outbound : .inbound, callStatus: index % 5 == 0 ? .missed : .completed,
                        creationTime: time, startTime: index % 5 == 0 ? nil : time, endTime: index % 5 == 0 ? nil : time,
                        callDuration: index % 5 == 0 ? 0 : 42, endReason: index % 5 == 0 ? "no_answer" : "caller_hangup"))
            }
            try await server.store.insertCallLog(
                orgID: other.organization.id,
                CallLog(
                    id: 0, callId: "THEIRS", sourceNumber: "+1", destinationNumber: "+2", callType: .inbound,
                    callStatus: .completed, creationTime: start, startTime: nil, endTime: nil, callDuration: 1, endReason: nil))

            let first = try await server.get(Paths.callLogs, token: owner.token, orgHandle: "acme")
            let page = try first.decode(ListEnvelope<Components.Schemas.CallLog>.self)
            #expect(page.count == 30 && page.data.count == 20)
            #expect(page.message == "Call logs fetched successfully")
            #expect(page.data.first?.callId == "CALL_29")
            let item = try #require((first.json["data"] as? [[String: Any]])?.first { $0["call_id"] as? String == "CALL_25" })
            #expect(item["start_time"] is NSNull, "a missed call's start_time is null")
            #expect(item["call_duration"] as? Int == 0)

            let second = try await server.get(Paths.callLogs + "?page=2&page_size=20", token: owner.token, orgHandle: "acme")
                .decode(ListEnvelope<Components.Schemas.CallLog>.self)
            #expect(second.data.map(\.callId) == (0..<10).reversed().map { "CALL_\($0)" })
            let past = try await server.get(Paths.callLogs + "?page=9", token: owner.token, orgHandle: "acme")
                .decode(ListEnvelope<Components.Schemas.CallLog>.self)
            #expect(past.count == 30 && past.data.isEmpty)

            let filtered = try await server.get(
                Paths.callLogs + "?call_type=outbound&call_status=missed&page_size=100", token: owner.token, orgHandle: "acme"
            ).decode(ListEnvelope<Components.Schemas.CallLog>.self)
            #expect(filtered.data.map(\.callId) == ["CALL_15", "CALL_0"])

            // Date-only end dates include the whole day (UTC): 2027-01-15 covers hours 08:00 to 23:00.
            let day = try await server.get(
                Paths.callLogs + "?start_date=2027-01-15&end_date=2027-01-15&page_size=100", token: owner.token,
                orgHandle: "acme"
            ).decode(ListEnvelope<Components.Schemas.CallLog>.self)
            #expect(day.count == 16)
            let window = try await server.get(
                Paths.callLogs + "?start_date=2027-01-15T10:00:00Z&end_date=2027-01-15T12:00:00Z", token: owner.token,
                orgHandle: "acme"
            ).decode(ListEnvelope<Components.Schemas.CallLog>.self)
            #expect(window.data.map(\.callId) == ["CALL_4", "CALL_3", "CALL_2"])

            for query in ["page=0", "page=x", "page_size=101", "page_size=0", "call_type=sideways", "call_status=ok", "start_date=soon"] {
                let response = try await server.get(Paths.callLogs + "?" + query, token: owner.token, orgHandle: "acme")
                #expect(response.status == .badRequest, "\(query)")
                #expect(response.json["message"] as? String == "Invalid request parameters")
                #expect(response.json["errors"] is String)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func leavingAnOrganizationEndsTheKeysAccessToIt(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let owner = try await Fixture.make(server.store)
            let member = try await server.store.createUser(email: "m@example.com", password: "long enough")
            try await server.store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
            let key = try await server.store.createAPIKey(
                userID: member.id, name: "m", scopes: .all, organization: nil, expiresAt: nil)
            #expect(try await server.get(Paths.callLogs, token: key.token, orgHandle: "acme").status == .ok)
            let listed = try await server.get(Paths.organizations, token: key.token).decode(ListEnvelope<Components.Schemas.Organization>.self)
            #expect(listed.data.map(\.domainHandle) == ["acme"])

            try await server.store.removeMembership(userID: member.id, orgID: owner.organization.id)
            try await eventually {
                try await server.get(Paths.callLogs, token: key.token, orgHandle: "acme").status == .forbidden
            }
            expectError(try await server.get(Paths.callLogs, token: key.token, orgHandle: "acme"), .invalidOrganization)
            let after = try await server.get(Paths.organizations, token: key.token).decode(ListEnvelope<Components.Schemas.Organization>.self)
            #expect(after.count == 0 && after.data.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownRoutesAnswerInTheEnvelope(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let response = try await server.get("/api/v2/platform/nothing-here/")
            #expect(response.status == .notFound)
            #expect(response.json["status_code"] as? Int == 404)
            let health = try await server.get("/healthz")
            #expect(health.status == .ok && health.json["ok"] as? Bool == true)
        }
    }
}
