import Foundation
import Testing
import UnpodPersistence
import UnpodTestSupport

/// The real `unpod serve` binary in a child process, on port 0; its output goes to a file that is
/// read for the port and, at the end, for anything it should not contain.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: the Process is started once in init and only terminated afterwards.
    let process: Process
    let outputPath: String
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    init(database: DatabaseLocation, arguments: [String] = [], environment: [String: String] = testSecretsEnvironment)
        async throws
    {
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("unpod-\(UUID().uuidString).log").path
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process = Process()
        process.executableURL = try Self.binary()
        process.arguments = ["serve", "--port", "0", "--database", Self.text(database)] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        var found: Int?
        while found == nil, ContinuousClock.now < deadline, process.isRunning {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last!)
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        guard let found else {
            process.terminate()
            throw TestSetupError("unpod serve did not start: \((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")")
        }
        port = found
    }

    /// SIGTERM, then wait: the server shuts down gracefully.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: outputPath)
    }

    static func text(_ location: DatabaseLocation) -> String {
        switch location {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url
        }
    }

    /// The `unpod` executable built beside the test bundle.
    static func binary() throws -> URL {
        var candidates = CommandLine.arguments.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug"))
        for directory in candidates {
            let url = directory.appendingPathComponent("unpod")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw TestSetupError("the unpod binary was not found next to the tests; run swift build first")
    }
}
