import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization
import UnpodClient
import UnpodCore

// Issue 17's call benchmark against a running server, with the Swift SDK and a runner speaking the
// `unpod` SDK's frames (it answers at once, so what is measured is the server):
//  1. dispatch: a web call's caller side connects → the runner receives job.assign, and the whole
//     POST sessions/token → job.assign;
//  2. relay: a user turn sent on the caller side → received by the runner, and a runner's delta
//     sent → received on the caller side.
//  3. with CONCURRENT=N (and SERVER_PID): N calls in flight at once, each saying one turn a second
//     for TURNS seconds: every turn's round trip (caller → runner → caller), whether all were
//     delivered, and the server's memory per call (resident set growth over the N calls).
//  4. with RUNNER_URL (another node of the same PostgreSQL database): the runner connects there,
//     the calls are made on URL, so every assignment and frame crosses between the nodes.
// Usage: call-benchmark URL API_KEY ORG AGENT [CALLS] [TURNS]
let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    FileHandle.standardError.write(Data("usage: call-benchmark URL API_KEY ORG AGENT [CALLS] [TURNS]\n".utf8))
    exit(2)
}
let (url, apiKey, org, agent) = (arguments[1], arguments[2], arguments[3], arguments[4])
let callCount = arguments.count > 5 ? Int(arguments[5])! : 200
let turnCount = arguments.count > 6 ? Int(arguments[6])! : 5
let client = UnpodClient(baseURL: url, token: apiKey, orgHandle: org)
let socketBase = url.replacingOccurrences(of: "http://", with: "ws://")
/// Where the runner connects (and so dials its bridges): URL's node, or RUNNER_URL's.
let runnerBase = (ProcessInfo.processInfo.environment["RUNNER_URL"] ?? url).replacingOccurrences(of: "http://", with: "ws://")

func milliseconds(_ duration: Duration) -> Double {
    (Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))]
}

/// When things happened, shared between the runner's sockets and the caller's.
final class Marks: Sendable {
    let assigned = Mutex<[String: ContinuousClock.Instant]>([:])
    let heard = Mutex<[String: ContinuousClock.Instant]>([:])
    let bridges = Mutex<[String: WebSocketOutboundWriter]>([:])
}
let marks = Marks()

enum BenchBridge {
    static func dial(_ job: RunnerJobAssignment) async throws {
    let target = job.bridgeURL.replacingOccurrences(of: "ws://localhost", with: runnerBase)
    try await WebSocketClient.connect(url: target + "?token=" + job.callToken, logger: Logger(label: "bench-bridge")) { inbound, outbound, _ in
        try await outbound.write(.text(BridgeProtocol.encode(.hello(protocolVersion: 2))))
        for try await message in inbound.messages(maxSize: 1 << 20) {
            guard case .text(let text) = message, let event = BridgeProtocol.serverMessage(text) else { continue }
            if case .userText(let turn) = event {
                marks.heard.withLock { $0[turn] = .now }
                try await outbound.write(.text(BridgeProtocol.encode(.verb(.textDelta(turn)))))
                try await outbound.write(.text(BridgeProtocol.encode(.verb(.textEnd))))
            }
        }
    }
}
}

/// The runner: registers, acks every job at once, dials its bridge, and answers each user turn
/// with one delta and the end of the reply.
let runner = Task {
    try await WebSocketClient.connect(
        url: runnerBase + RunnerProtocol.path,
        configuration: .init(additionalHeaders: [.authorization: "Token \(apiKey)", .init("Org-Handle")!: org]),
        logger: Logger(label: "bench-runner")
    ) { inbound, outbound, _ in
        try await outbound.write(
            .text(
                RunnerProtocol.encode(
                    .register(workerID: "\(agent)#bench0001", pool: agent, capabilities: RunnerCapabilities(maxConcurrent: 1000, agentID: agent)))))
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await outbound.write(.text(RunnerProtocol.encode(.heartbeat(activeJobs: 0, workerID: "\(agent)#bench0001"))))
                try? await Task.sleep(for: .seconds(5))
            }
        }
        defer { heartbeat.cancel() }
        for try await message in inbound.messages(maxSize: 1 << 20) {
            guard case .text(let text) = message, case .jobAssign(let job)? = RunnerProtocol.serverMessage(text) else { continue }
            marks.assigned.withLock { $0[job.callID] = .now }
            try await outbound.write(.text(RunnerProtocol.encode(.jobAck(jobID: job.jobID, assignID: job.assignID, accepted: true, reason: nil))))
            Task { try await BenchBridge.dial(job) }
        }
    }
}

// Wait for the runner to register (and, on another node, for this node to hear of it).
try await Task.sleep(for: .milliseconds(500))
if runnerBase != socketBase { print("runner on \(runnerBase), calls on \(socketBase): across two nodes") }

/// The concurrent run's shared state: calls up, the start signal, and what came back.
final class ConcurrentProgress: Sendable {
    let up = Atomic<Int>(0)
    let go = Atomic<Bool>(false)
    let rounds = Mutex<[Double]>([])
    let delivered = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
    let start = Mutex<ContinuousClock.Instant>(.now)
}

/// The server's resident set in KiB (`VmRSS` of /proc/PID/status).
func residentKiB(_ pid: String) -> Int {
    let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
}

if let concurrent = ProcessInfo.processInfo.environment["CONCURRENT"].flatMap(Int.init) {
    let pid = ProcessInfo.processInfo.environment["SERVER_PID"] ?? "0"
    let before = residentKiB(pid)
    // All the calls up first (each active), measured, then one turn a second on each.
    let progress = ConcurrentProgress()
    var fifth = before
    // Plain copies: the group's tasks run off the main actor that owns this file's globals.
    let (benchClient, benchAgent, base, turns) = (client, agent, socketBase, turnCount)
    await withTaskGroup(of: Void.self) { group in
        for index in 0..<concurrent {
            group.addTask {
                do {
                    let session = try await benchClient.startWebCall(agent: benchAgent)
                    let caller = CallerConnection(
                        mediaURL: session.mediaUrl.replacingOccurrences(of: "ws://localhost", with: base), token: session.token)
                    var events = caller.events.makeAsyncIterator()
                    while let event = await events.next() {
                        if case .message(.callStatus(CallStatus.active.rawValue)) = event { break }
                    }
                    progress.up.add(1, ordering: .relaxed)
                    while !progress.go.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(20)) }
                    // Spread the calls over the second: one turn a second each, not all at once.
                    let begin = progress.start.withLock { $0 } + .milliseconds(index * 1000 / concurrent)
                    try await Task.sleep(until: begin, clock: .continuous)
                    for turn in 0..<turns {
                        let text = "k\(index)t\(turn)"
                        let sent = ContinuousClock.now
                        try await caller.say(text)
                        while let event = await events.next() {
                            if case .message(.agent(.textDelta(let echoed))) = event, echoed == text {
                                progress.rounds.withLock { $0.append(milliseconds(ContinuousClock.now - sent)) }
                                progress.delivered.add(1, ordering: .relaxed)
                                break
                            }
                        }
                        try await Task.sleep(until: sent + .seconds(1), clock: .continuous)
                    }
                    try await caller.hangUp()
                } catch {
                    progress.failures.add(1, ordering: .relaxed)
                    progress.up.add(1, ordering: .relaxed)
                }
            }
            // Open at most 100 calls ahead of those already up.
            while index - progress.up.load(ordering: .relaxed) > 100 { try? await Task.sleep(for: .milliseconds(5)) }
            if index + 1 == concurrent / 5 {
                // A fifth of the calls up: the server's one-time growth (caches, pools) is behind it.
                while progress.up.load(ordering: .relaxed) < concurrent / 5 { try? await Task.sleep(for: .milliseconds(20)) }
                try? await Task.sleep(for: .milliseconds(500))
                fifth = residentKiB(pid)
            }
        }
        while progress.up.load(ordering: .relaxed) < concurrent { try? await Task.sleep(for: .milliseconds(20)) }
        try? await Task.sleep(for: .seconds(1))
        let during = residentKiB(pid)
        print(String(format: "  server resident set %d KiB before, %d KiB with the %d calls up: %.1f KiB per call (its caller and bridge sockets included)",
            before, during, concurrent, Double(during - before) / Double(concurrent)))
        print(String(format: "  from %d to %d calls up: %.1f KiB per added call", concurrent / 5, concurrent,
            Double(during - fifth) / Double(concurrent - concurrent / 5)))
        progress.start.withLock { $0 = .now }
        progress.go.store(true, ordering: .relaxed)
    }
    let all = progress.rounds.withLock { $0 }
    print("\(concurrent) calls at once, one turn a second each for \(turnCount) s:")
    print(String(format: "  turns delivered %d of %d;  round trip caller → runner → caller  p50 %.2f ms  p99 %.2f ms  max %.2f ms",
        progress.delivered.load(ordering: .relaxed), concurrent * turnCount, percentile(all, 0.5), percentile(all, 0.99), all.max() ?? 0))
    if progress.failures.load(ordering: .relaxed) > 0 { print("  calls that failed: \(progress.failures.load(ordering: .relaxed))") }
    runner.cancel()
    exit(0)
}
var fromConnect: [Double] = []
var fromCreate: [Double] = []
var toRunner: [Double] = []
var toCaller: [Double] = []
for index in 0..<callCount {
    let created = ContinuousClock.now
    let session = try await client.startWebCall(agent: agent)
    let caller = CallerConnection(mediaURL: session.mediaUrl.replacingOccurrences(of: "ws://localhost", with: socketBase), token: session.token)
    var events = caller.events.makeAsyncIterator()
    // The first event is call.status: the caller side is attached, and dispatch begins.
    _ = await events.next()
    let connected = ContinuousClock.now
    while marks.assigned.withLock({ $0[session.callId] }) == nil { try await Task.sleep(for: .microseconds(200)) }
    let assigned = marks.assigned.withLock { $0[session.callId]! }
    fromConnect.append(milliseconds(assigned - connected))
    fromCreate.append(milliseconds(assigned - created))
    // Wait for the call to be active.
    while let event = await events.next() {
        if case .message(.callStatus(CallStatus.active.rawValue)) = event { break }
    }
    for turn in 0..<turnCount {
        let text = "c\(index)t\(turn)"
        let sent = ContinuousClock.now
        try await caller.say(text)
        while let event = await events.next() {
            if case .message(.agent(.textDelta(let echoed))) = event, echoed == text {
                let received = ContinuousClock.now
                let heard = marks.heard.withLock { $0[text] } ?? received
                toRunner.append(milliseconds(heard - sent))
                toCaller.append(milliseconds(received - heard))
                break
            }
        }
    }
    try await caller.hangUp()
    while let event = await events.next() { if case .closed = event { break } }
}
runner.cancel()
func line(_ name: String, _ values: [Double]) {
    print(String(format: "%@  p50 %.2f ms  p99 %.2f ms  max %.2f ms  (n=%d)", name, percentile(values, 0.5), percentile(values, 0.99), values.max() ?? 0, values.count))
}
line("caller connected → job.assign     ", fromConnect)
line("POST sessions/token → job.assign  ", fromCreate)
line("user turn: caller → runner        ", toRunner)
line("reply delta: runner → caller      ", toCaller)
