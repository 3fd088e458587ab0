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
    let target = job.bridgeURL.replacingOccurrences(of: "ws://localhost", with: socketBase)
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
        url: socketBase + RunnerProtocol.path,
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

// Wait for the runner to register.
try await Task.sleep(for: .milliseconds(500))
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
