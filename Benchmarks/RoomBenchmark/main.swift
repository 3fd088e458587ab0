import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import UnpodCore

// A room of N connected participants where one sends R messages a second: delivery latency
// (send to receipt, one clock, this process) and the server's memory per participant (PSS of
// the server process before and after the participants joined). The Swift half of
// `scripts/bench-room.sh`.
//
// Usage: room-benchmark URL[,URL2] KEY_ID SECRET PID[,PID2] [PARTICIPANTS=200] [RATE=100] [SECONDS=10]
// With two nodes, listeners alternate between them and the sender is on the first.

let arguments = CommandLine.arguments
let serverPIDs = arguments.count >= 5 ? arguments[4].split(separator: ",").compactMap { Int($0) } : []
guard arguments.count >= 5, !serverPIDs.isEmpty else {
    FileHandle.standardError.write(Data("usage: room-benchmark URL KEY_ID SECRET SERVER_PID [PARTICIPANTS] [RATE] [SECONDS]\n".utf8))
    exit(2)
}
let urls = arguments[1].split(separator: ",").map(String.init)
let url = urls[0], keyID = arguments[2], secret = arguments[3]
let participants = arguments.count > 5 ? Int(arguments[5]) ?? 200 : 200
let rate = arguments.count > 6 ? Int(arguments[6]) ?? 100 : 100
let seconds = arguments.count > 7 ? Int(arguments[7]) ?? 10 : 10

/// The servers' proportional set size, in KiB.
func pss(_ pids: [Int]) -> Int { pids.map(pss).reduce(0, +) }

func pss(_ pid: Int) -> Int {
    let text = (try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n") where line.hasPrefix("Pss:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    return 0
}

func token(_ identity: String) async throws -> String {
    var builder = AccessTokenBuilder(keyID: keyID, secret: secret, identity: identity, video: VideoGrant(roomJoin: true, room: "bench"))
    builder.ttl = 3600
    return try await builder.build()
}

final class Results: Sendable {
    let latencies = Mutex<[UInt64]>([])
    /// How many listeners got each message, by its sequence number.
    let receipts = Mutex<[Int: Int]>([:])
    let joined = Atomic<Int>(0)
}
let results = Results()
let logger = Logger(label: "room-benchmark")
let before = pss(serverPIDs)

var receivers: [Task<Void, any Error>] = []
for index in 0..<participants {
    let receiverToken = try await token("listener-\(index)")
    receivers.append(
        Task {
            try await WebSocketClient.connect(url: "\(urls[index % urls.count])/rtc?access_token=\(receiverToken)", logger: logger) { inbound, _, _ in
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    if text.contains(#""type":"joined""#) { results.joined.wrappingAdd(1, ordering: .relaxed) }
                    guard text.contains(#""type":"data""#), let start = text.range(of: #""payload":""#) else { continue }
                    let fields = text[start.upperBound...].prefix { $0.isNumber || $0 == ":" }.split(separator: ":")
                    if fields.count == 2, let sent = UInt64(fields[0]), let sequence = Int(fields[1]) {
                        let latency = DispatchTime.now().uptimeNanoseconds - sent
                        results.latencies.withLock { $0.append(latency) }
                        results.receipts.withLock { $0[sequence, default: 0] += 1 }
                    }
                }
            }
        })
}
let joinStart = ContinuousClock.now
while results.joined.load(ordering: .relaxed) < participants {
    guard ContinuousClock.now - joinStart < .seconds(60) else { fatalError("only \(results.joined.load(ordering: .relaxed)) joined") }
    try await Task.sleep(for: .milliseconds(20))
}
try await Task.sleep(for: .seconds(2))  // let the join announcements settle
let joinedPSS = pss(serverPIDs)

let senderToken = try await token("sender")
let sent = Atomic<Int>(0)
// The sender keeps reading (joined, refreshed tokens, pings: the server drops a peer that stops
// answering its pings) while it sends. Its connection ends with the benchmark; that is not an error.
let senderJoined = Atomic<Bool>(false)
_ = try? await WebSocketClient.connect(url: "\(url)/rtc?access_token=\(senderToken)", logger: logger) { inbound, outbound, _ in
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            for try await _ in inbound.messages(maxSize: 1 << 20) { senderJoined.store(true, ordering: .relaxed) }
        }
        while !senderJoined.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(5)) }
        let interval = Duration.nanoseconds(1_000_000_000 / rate)
        var next = ContinuousClock.now
        for sequence in 0..<(rate * seconds) {
            next += interval
            try await Task.sleep(until: next)
            try await outbound.write(.text(#"{"type":"data","v":1,"payload":"\#(DispatchTime.now().uptimeNanoseconds):\#(sequence)"}"#))
            sent.wrappingAdd(1, ordering: .relaxed)
        }
        try await Task.sleep(for: .seconds(2))
        group.cancelAll()
    }
}
let latencies = results.latencies.withLock { $0 }.sorted()
func percentile(_ p: Double) -> Double {
    latencies.isEmpty ? 0 : Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1e6
}
let expected = sent.load(ordering: .relaxed) * participants
print(
    String(
        format: "RESULT nodes=\(urls.count) participants=%d rate=%d seconds=%d delivered=%d expected=%d p50_ms=%.3f p99_ms=%.3f max_ms=%.3f server_pss_kib_before=%d server_pss_kib_joined=%d kib_per_participant=%.1f",
        participants, rate, seconds, latencies.count, expected, percentile(0.5), percentile(0.99), percentile(1.0), before, joinedPSS,
        Double(joinedPSS - before) / Double(participants)))
let short = results.receipts.withLock { receipts in
    (0..<sent.load(ordering: .relaxed)).filter { (receipts[$0] ?? 0) < participants }.map { "\($0):\(receipts[$0] ?? 0)" }
}
if !short.isEmpty { print("messages not received by every listener (sequence:listeners):", short.prefix(20).joined(separator: " ")) }
for receiver in receivers { receiver.cancel() }
exit(0)
