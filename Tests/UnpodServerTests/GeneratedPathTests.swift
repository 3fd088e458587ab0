import Foundation
import HTTPTypes
import Testing
import UnpodCore
import UnpodTestSupport

/// The generated server answers as the hand-written routes did (issue 16, "What must not change"):
/// the same reading of requests, the same messages, the same keys, the same headers.
@Suite struct GeneratedPathTests {
    @Test(arguments: TestDatabase.all)
    func requestsAreReadAsBefore(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            let auth = "Token \(admin.token)"
            // No body at all is an empty request, not malformed JSON.
            let bare = try await server.request(.post, Paths.keys, authorization: auth)
            #expect(bare.status == .created, "\(bare.text)")
            #expect((bare.json["data"] as? [String: Any])?["name"] as? String == "API key")
            // A JSON body sent with a form type (curl -d) is read as JSON.
            var form = HTTPFields()
            form[.contentType] = "application/x-www-form-urlencoded"
            let named = try await server.client.execute(
                uri: Paths.keys, method: .post, headers: form + [HTTPField(name: .authorization, value: auth)],
                body: .init(string: #"{"name":"from curl"}"#))
            #expect(named.status == .created)
            #expect(String(buffer: named.body).contains(#""name":"from curl""#))
            // Accept is not enforced; answers say application/json, without a charset.
            var html = HTTPFields()
            html[.accept] = "text/html"
            let listed = try await server.get(Paths.keys, token: admin.token, headers: html)
            #expect(listed.status == .ok)
            #expect(listed.headers[.contentType] == "application/json")
            // A value that is unset goes out as null, never left out (a key made and never used).
            let keys = try #require(listed.json["data"] as? [[String: Any]])
            let unused = try #require(keys.first { $0["name"] as? String == "from curl" })
            #expect(unused["expires_at"] is NSNull)
            #expect(unused["last_used_at"] is NSNull)
            #expect(unused["org_handle"] is NSNull)
        }
    }

    @Test(arguments: TestDatabase.all)
    func queryAndBodyErrorsKeepTheirWords(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            let refusals = [
                ("/api/v2/platform/voice-profiles/?page=abc", "page must be an integer from 1 to 2147483647"),
                ("\(Paths.callLogs)?call_type=sideways", "call_type must be inbound or outbound"),
                ("/api/v2/platform/audit-log/?scope=everyone", "scope must be organization or self"),
            ]
            for (path, detail) in refusals {
                let answer = try await server.get(path, token: admin.token, orgHandle: "acme")
                #expect(answer.status == .badRequest, "\(path)")
                #expect(answer.error == .invalidParameters(detail), "\(path): \(answer.text)")
            }
            // A body the generated decoder cannot read is answered under the operation's failure message.
            let bridge = try await server.request(
                .post, "/api/v2/platform/telephony/bridges/", authorization: "Token \(admin.token)", orgHandle: "acme",
                json: #"{"name": 5}"#)
            #expect(bridge.status == .badRequest)
            #expect(bridge.json["message"] as? String == "Bridge creation failed.")
            #expect((bridge.json["errors"] as? String)?.hasPrefix("name: ") == true)
            // A path id that is not a positive number names nothing: 404, like an unknown id.
            for id in ["abc", "0", "-3", "99"] {
                expectError(
                    try await server.get("/api/v2/platform/telephony/providers-configurations/\(id)/", token: admin.token, orgHandle: "acme"),
                    .notFound("Provider configuration not found."))
            }
            let configuration = try await server.request(
                .post, "/api/v2/platform/telephony/providers-configurations/", authorization: "Token \(admin.token)",
                orgHandle: "acme", json: #"{"provider": true}"#)
            #expect(configuration.json["message"] as? String == "Provider configuration creation failed.")
            // Authentication still comes first: a bad query from a stranger is a 401.
            expectError(try await server.get("/api/v2/platform/voice-profiles/?page=abc"), .notAuthenticated)
        }
    }
}
