import Foundation
import Testing
import UnpodTestSupport

/// `--log-format json` (issue 5, item 6): one JSON object per line, each line of a request
/// carrying its request id.
@Suite(.serialized) struct JSONLogTests {
    @Test func theRealBinaryWritesOneJSONObjectPerLine() async throws {
        let database = try await TestDatabaseInstance.make(.sqlite)
        let server = try await ServerProcess(
            database: database.location, arguments: ["--log-format", "json", "--log-level", "debug"])
        let connection = try RawConnection(port: server.port)
        connection.send("GET /api/v2/platform/organizations/ HTTP/1.1\r\nHost: x\r\nX-Request-ID: trace-42\r\n\r\n")
        #expect(RawResponse(await connection.readResponse(timeout: .seconds(5)))?.status == 401)
        try await Task.sleep(for: .milliseconds(200))
        let output = server.output
        server.stop()
        await database.remove()

        let lines = output.split(separator: "\n").filter { $0.hasPrefix("{") }
        #expect(lines.count >= 2, "the start-up line and the request's lines: \(output)")
        var requestLines = 0
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(object["level"] is String && object["message"] is String && object["time"] is String)
            if object["hb.request.id"] as? String == "trace-42" { requestLines += 1 }
        }
        #expect(requestLines >= 1, "the request's lines carry its id")
    }
}
