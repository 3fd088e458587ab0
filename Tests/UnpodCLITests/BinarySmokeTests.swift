import Foundation
import Testing
import UnpodClient
import UnpodCore

/// The README's first steps, with the real binary: first start prints the admin and the next command;
/// `keys create` prints the token last; the token works against the running server.
@Suite(.serialized) struct BinarySmokeTests {
    @Test func firstStartThenAKeyThenAnAuthenticatedCall() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = "sqlite:" + directory.appendingPathComponent("unpod.sqlite").path

        let outputPath = directory.appendingPathComponent("serve.log").path
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let serve = Process()
        serve.executableURL = try binary()
        serve.arguments = ["serve", "--port", "0", "--database", database]
        serve.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UNPOD_") }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        serve.standardOutput = log
        serve.standardError = log
        try serve.run()
        defer { serve.terminate(); serve.waitUntilExit() }

        var port: Int?
        for _ in 0..<400 where port == nil {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                port = Int(text[range].split(separator: ":").last!)
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let firstStart = try String(contentsOfFile: outputPath, encoding: .utf8)
        let listening = try #require(port, "server did not start: \(firstStart)")
        #expect(firstStart.contains("email:        admin@localhost"))
        #expect(firstStart.range(of: #"password:     [A-Za-z0-9]{20}"#, options: .regularExpression) != nil)
        #expect(firstStart.contains("unpod keys create --email admin@localhost"))
        let secrets = directory.appendingPathComponent("unpod.sqlite.secrets").path
        let mode = try FileManager.default.attributesOfItem(atPath: secrets)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let (status, stdout) = try run(["keys", "create", "--email", "admin@localhost", "--name", "first", "--database", database])
        #expect(status == 0)
        let token = try #require(stdout.split(separator: "\n").last.map(String.init))
        #expect(APIKeyToken.parse(token) != nil, "last line: \(token)")

        let organizations = try await UnpodClient(baseURL: "http://127.0.0.1:\(listening)", token: token).organizations()
        #expect(organizations.map(\.domainHandle) == ["default"])

        let (badStatus, _) = try run(["keys", "revoke", "NoSuchKeyId00000", "--database", database])
        #expect(badStatus != 0, "errors exit non-zero")
        #expect(!(try String(contentsOfFile: outputPath, encoding: .utf8)).contains(token), "the server never logs a token")
    }

    func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func binary() throws -> URL {
        var candidates = CommandLine.arguments.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug"))
        for directory in candidates where FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("unpod").path) {
            return directory.appendingPathComponent("unpod")
        }
        throw CocoaError(.fileNoSuchFile)
    }
}
