import Foundation
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

@Suite struct SecretsAtRestTests {
    @Test(arguments: TestDatabase.all)
    func noTokenIsInTheDatabaseOrTheLogs(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            var tokens = [admin.token]
            for index in 0..<3 {
                let response = try await server.request(
                    .post, "/api/v2/platform/api-keys/", authorization: "Token \(admin.token)", json: #"{"name": "k\#(index)"}"#)
                tokens.append(try response.decode(ObjectEnvelope<Components.Schemas.CreatedAPIKey>.self).data.token)
            }
            let rotated = try await server.request(
                .post, "/api/v2/platform/api-keys/\(APIKeyToken.parse(tokens[1])!.keyID)/rotate/",
                authorization: "Token \(admin.token)")
            tokens.append(try rotated.decode(ObjectEnvelope<Components.Schemas.CreatedAPIKey>.self).data.token)
            for token in tokens {
                _ = try await server.get("/api/v2/platform/organizations/", token: token)
                _ = try await server.get("/api/v2/platform/call-logs/", token: token, orgHandle: "acme")
                _ = try await server.request(.get, "/api/v2/platform/organizations/", authorization: "Token \(token) x")
            }
            try await Task.sleep(for: .milliseconds(400))  // let last-used times be written

            let stored = try await Self.storedBytes(server.database)
            #expect(stored.count > 1000, "the dump is not empty")
            #expect(stored.range(of: Data("api_key.rotated".utf8)) != nil, "the audit events are among the bytes searched")
            let audit = try await server.get("/api/v2/platform/audit-log/?scope=self&page_size=100", token: admin.token)
            #expect(audit.status == .ok)
            let logs = server.logs.text + audit.text
            #expect(logs.contains("API key created"), "the log capture works")
            for token in tokens {
                let parsed = try #require(APIKeyToken.parse(token))
                for needle in [token, parsed.secret] {
                    #expect(stored.range(of: Data(needle.utf8)) == nil, "the database holds a token or secret")
                    #expect(!logs.contains(needle), "the log holds a token or secret")
                }
            }
        }
    }

    /// The SQLite file and its WAL as bytes, or a pg_dump of the PostgreSQL database.
    static func storedBytes(_ database: TestDatabaseInstance) async throws -> Data {
        if let path = database.sqlitePath {
            var data = Data()
            for file in [path, path + "-wal"] {
                if let bytes = FileManager.default.contents(atPath: file) { data.append(bytes) }
            }
            return data
        }
        let url = try #require(database.postgresURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pg_dump", "--data-only", "--no-owner", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "pg_dump failed")
        #expect(String(decoding: data, as: UTF8.self).contains("COPY public.api_keys"))
        return data
    }
}
