import ArgumentParser
import Foundation
import UnpodClient
import UnpodCore

/// `unpod worker --agent HANDLE [--url http://127.0.0.1:8000] [--concurrency N] --simulate`: an
/// agent worker (issue 9, item 4). It mints its own access token (the `agent` grant) from the API
/// key in `UNPOD_API_KEY`, a fresh one for every connection, and reconnects when the server goes away.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run an agent worker that carries out tasks (--simulate plays calls from a script).")

    @Option(name: .customLong("agent"), help: "An agent handle this worker serves; repeatable.") var agents: [String] = []
    @Option(help: "The server's URL.") var url = "http://127.0.0.1:8000"
    @Option(help: "Tasks carried out at once.") var concurrency = 1
    @Option(help: "The organization, when the API key is not restricted to one and the user has several.") var org: String?
    @Flag(help: "Play each call from a built-in script instead of dialling (no phone carrier needed).") var simulate = false
    @Option(help: "Milliseconds a simulated call takes.") var callMilliseconds = 200
    @Flag(help: "Also carry the organization's phone calls as a gateway (with --simulate: a simulated person answers, from their number).")
    var gateway = false

    func validate() throws {
        guard simulate else {
            throw ValidationError("only --simulate is built in: a real voice runtime connects through the Swift SDK's WorkerConnection")
        }
        guard (1...100).contains(concurrency) else { throw ValidationError("--concurrency is 1 to 100") }
        guard gateway || !agents.isEmpty else { throw ValidationError("name at least one --agent, or run as a --gateway") }
    }

    func run() async throws {
        guard let apiKey = ProcessInfo.processInfo.environment["UNPOD_API_KEY"], let parsed = APIKeyToken.parse(apiKey) else {
            throw CommandError("set UNPOD_API_KEY to an API key with write scope (an owner's or admin's)")
        }
        let socketURL = url.replacingOccurrences(of: "http://", with: "ws://").replacingOccurrences(of: "https://", with: "wss://")
        while true {
            var builder = AccessTokenBuilder(
                keyID: parsed.keyID, secret: apiKey, identity: "worker-\(ProcessInfo.processInfo.processIdentifier)",
                video: VideoGrant(agent: true))
            builder.organization = org
            builder.ttl = 3600
            let token = try await builder.build()
            let connection = WorkerConnection(
                serverURL: socketURL, token: token, agents: agents, capacity: concurrency, organization: org, gateway: gateway)
            let closed = await serve(connection)
            FileHandle.standardError.write(Data("worker: connection closed (\(closed)); reconnecting in 1 s\n".utf8))
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// Carries out assignments until the connection closes; returns why it closed.
    private func serve(_ connection: WorkerConnection) async -> String {
        let held = LeaseSet()
        var heartbeat: Task<Void, Never>?
        defer { heartbeat?.cancel() }
        for await event in connection.events {
            switch event {
            case .registered(let workerID, _, let seconds):
                say(
                    "worker \(workerID) registered for \(agents.isEmpty ? "no agents" : agents.joined(separator: ", "))"
                        + (gateway ? " and the organization's phone calls" : "") + ", \(concurrency) at a time")
                heartbeat = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(max(1, seconds)))
                        for lease in held.all { try? await connection.heartbeat(lease) }
                    }
                }
            case .assignment(let leaseID, _, let task):
                held.insert(leaseID)
                Task {
                    let start = Date()
                    try? await connection.progress(leaseID)
                    try? await Task.sleep(for: .milliseconds(callMilliseconds))
                    try? await connection.complete(leaseID, output: SimulatedCall.output(for: task, start: start))
                }
            case .answer(let type, let leaseID, _, let reason):
                if type != "renewed", let leaseID { held.remove(leaseID) }
                if type == "completed", let leaseID { say("completed \(leaseID)") }
                if type == "refused" || type == "error" { say("\(type) \(leaseID ?? ""): \(reason ?? "")") }
            case .call(let call):
                // A task's call keeps its lease (heartbeats) until the server completes the task at the call's end.
                if let lease = call.leaseID { held.insert(lease) }
                say("call \(call.callID) \(call.direction) \(call.toNumber ?? "")")
                Task {
                    let said = await SimulatedCallee.carry(call, over: connection)
                    say("call \(call.callID) done after \(said.count) line(s)")
                }
            case .callRefused(let number, let reason):
                say("inbound call to \(number ?? "?") refused: \(reason)")
            case .callEnded(let callID, let status, let reason):
                say("call \(callID) ended \(status) \(reason ?? "")")
            case .closed(let code, let reason):
                return "\(code.map(String.init) ?? "no code") \(reason ?? "")"
            }
        }
        return "ended"
    }
}

/// One line on standard output, written at once (a worker is often stopped with a signal, which
/// would lose buffered lines).
private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
