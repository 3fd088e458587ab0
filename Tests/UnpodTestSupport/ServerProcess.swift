import Foundation
#if canImport(Glibc)
import Glibc
#endif
import UnpodPersistence

/// The real `unpod serve` binary in a child process, on port 0; its output goes to a file that is
/// read for the port and, at the end, for anything it should not contain.
public final class ServerProcess: @unchecked Sendable {
    // @unchecked: the Process is started once in init and only terminated afterwards.
    let process: Process
    let outputPath: String
    public let port: Int

    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Starts `unpod serve`. Inherited `UNPOD_*` variables are dropped; `environment` is added.
    public init(database: DatabaseLocation, arguments: [String] = [], environment: [String: String] = testSecretsEnvironment)
        async throws
    {
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("unpod-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process = Process()
        process.executableURL = try UnpodBinary.url()
        process.arguments = ["serve", "--port", "0", "--database", Self.text(database)] + arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UNPOD_") }
            .merging(environment) { $1 }
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

    /// SIGKILL, then wait: the process ends at once, with no chance to flush anything.
    public func kill() { ChildProcess.kill(process) }

    /// SIGTERM, then wait: the server shuts down gracefully.
    public func stop() { ChildProcess.stop(process, log: outputPath) }

    public static func text(_ location: DatabaseLocation) -> String {
        switch location {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): url
        }
    }
}

/// The `unpod` executable the tests run.
public enum UnpodBinary {
    /// The binary built beside the test bundle (or in `.build/debug` of this package).
    public static func url() throws -> URL {
        var candidates = CommandLine.arguments.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"))
        for directory in candidates {
            let url = directory.appendingPathComponent("unpod")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw TestSetupError("the unpod binary was not found next to the tests; run swift build first")
    }

    /// ``run(_:input:environment:)`` on a thread of its own, so that a test running many commands
    /// does not hold one of the few threads every test's tasks share.
    public static func runDetached(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) async throws
        -> (status: Int32, output: String)
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try run(arguments, input: input, environment: environment) })
            }.start()
        }
    }

    /// Runs one command to its end: exit status and standard output (standard error is dropped).
    public static func run(_ arguments: [String], input: String? = nil, environment: [String: String] = [:]) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UNPOD_") }
                .merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// `unpod worker --simulate` in a child process, its output in a file.
public final class WorkerProcess: @unchecked Sendable {
    // @unchecked: the Process is started once in init and only terminated afterwards.
    let process: Process
    let outputPath: String
    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    /// The leases this worker completed, from its `completed LEASE` lines.
    public var completions: Int { output.split(separator: "\n").filter { $0.hasPrefix("completed ") }.count }

    public convenience init(url: String, apiKey: String, agent: String, concurrency: Int, callMilliseconds: Int) throws {
        try self.init(
            url: url, apiKey: apiKey,
            arguments: ["--agent", agent, "--concurrency", String(concurrency), "--simulate", "--call-milliseconds", String(callMilliseconds)])
    }

    /// `unpod worker --url URL` with `arguments` (a gateway: `--gateway --simulate --org acme`).
    public init(url: String, apiKey: String, arguments: [String]) throws {
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("unpod-worker-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process = Process()
        process.executableURL = try UnpodBinary.url()
        process.arguments = ["worker", "--url", url] + arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("UNPOD_") }
            .merging(["UNPOD_API_KEY": apiKey]) { $1 }
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    /// SIGKILL mid-call: its connection drops with no goodbye.
    public func kill() { ChildProcess.kill(process) }

    public func stop() { ChildProcess.stop(process, log: outputPath) }
}

/// Ending a child process and waiting for it.
enum ChildProcess {
    static func kill(_ process: Process) {
        // Foundation reaps the child: while it says running, the pid is still this process's.
        guard process.isRunning, !hasExited(process) else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        wait(for: process, seconds: 10)
    }

    /// SIGTERM, wait (20 s at most, then SIGKILL), and remove its log.
    static func stop(_ process: Process, log: String) {
        if process.isRunning, !hasExited(process) {
            process.terminate()
            wait(for: process, seconds: 20)
            kill(process)
        }
        try? FileManager.default.removeItem(atPath: log)
    }

    /// Sleeps until the process has exited, `seconds` at most. It asks the kernel (`/proc`), not
    /// Foundation: `waitUntilExit` spins a run loop on one of the few threads every test shares,
    /// and `isRunning` waits for a dispatch source that a starved pool may never run.
    private static func wait(for process: Process, seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while !hasExited(process), Date() < deadline { usleep(5_000) }
    }

    /// Whether the process is gone or a zombie (exited, not yet reaped).
    static func hasExited(_ process: Process) -> Bool {
        let pid = process.processIdentifier
        guard pid > 0 else { return !process.isRunning }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"), stat.index(close, offsetBy: 2) < stat.endIndex
        else { return true }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state == "Z" || state == "X"
    }
}
