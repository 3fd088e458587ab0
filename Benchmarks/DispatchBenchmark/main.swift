import Foundation
import Synchronization
import UnpodClient
import UnpodCore

// Issue 9's task benchmarks against a running server, with the Swift SDK:
//  1. creating runs of 1,000 documents: time and requests per second of the create call;
//  3. one-task runs to idle workers: latency from the create call to the assignment.
//  2. dispatch: WORKERS workers that answer at once, one run of TASKS tasks: throughput (tasks
//     completed per second) and latency from the create call (sent) to each assignment (received).
// Usage: dispatch-benchmark URL API_KEY SPACE_TOKEN AGENT [CREATES] [WORKERS] [TASKS]
let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    FileHandle.standardError.write(Data("usage: dispatch-benchmark URL API_KEY SPACE_TOKEN AGENT [CREATES] [WORKERS] [TASKS]\n".utf8))
    exit(2)
}
let (url, apiKey, space, agent) = (arguments[1], arguments[2], arguments[3], arguments[4])
let creates = arguments.count > 5 ? Int(arguments[5])! : 10
let workerCount = arguments.count > 6 ? Int(arguments[6])! : 4
let taskCount = arguments.count > 7 ? Int(arguments[7])! : 2000
let client = UnpodClient(baseURL: url, token: apiKey)
let clock = ContinuousClock()

func documents(_ count: Int, from first: Int) -> [JSONValue] {
    (first..<first + count).map {
        .object(["name": .string("Contact \($0)"), "contact_number": .string("+1\(4_155_000_000 + $0)"), "document_id": .string("d\($0)")])
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

// 1. Create calls of 1,000 documents each (no worker connected: nothing competes).
var createTimes: [Double] = []
let createStart = clock.now
for round in 0..<creates {
    let start = clock.now
    _ = try await client.createTasks(inSpace: space, pilot: agent, documents: documents(1000, from: round * 1000))
    createTimes.append(seconds(clock.now - start))
}
let createTotal = seconds(clock.now - createStart)
print(String(
    format: "RESULT create_1000: runs=%d median_ms=%.1f p99_ms=%.1f requests_per_second=%.2f documents_per_second=%.0f",
    creates, percentile(createTimes, 0.5) * 1000, percentile(createTimes, 0.99) * 1000, Double(creates) / createTotal,
    Double(creates * 1000) / createTotal))

// 2. Dispatch. The backlog from part 1 is drained first, so the measured run starts from an empty queue.
final class Tally: Sendable {
    let assigned = Mutex<[String: ContinuousClock.Instant]>([:])
    let completed = Atomic<Int>(0)
}
let tally = Tally()
let parsed = APIKeyToken.parse(apiKey)!
let socketURL = url.replacingOccurrences(of: "http://", with: "ws://")
var workers: [WorkerConnection] = []
for index in 0..<workerCount {
    let token = try await AccessTokenBuilder(keyID: parsed.keyID, secret: apiKey, identity: "bench-\(index)", video: VideoGrant(agent: true)).build()
    let worker = WorkerConnection(serverURL: socketURL, token: token, agents: [agent], capacity: 16)
    workers.append(worker)
    Task {
        for await event in worker.events {
            guard case .assignment(let lease, _, let task) = event else { continue }
            tally.assigned.withLock { $0[task.taskID] = clock.now }
            try? await worker.complete(lease, output: .object(["call_id": .string("bench-" + task.taskID), "duration": .integer(42)]))
            tally.completed.wrappingAdd(1, ordering: .relaxed)
        }
    }
}
let backlog = creates * 1000
while tally.completed.load(ordering: .relaxed) < backlog { try await Task.sleep(for: .milliseconds(20)) }
tally.assigned.withLock { $0.removeAll() }
let before = tally.completed.load(ordering: .relaxed)
let dispatchStart = clock.now
let run = try await client.createTasks(inSpace: space, pilot: agent, documents: documents(taskCount, from: 1_000_000))
while tally.completed.load(ordering: .relaxed) - before < taskCount { try await Task.sleep(for: .milliseconds(5)) }
let dispatchTotal = seconds(clock.now - dispatchStart)
let latencies = tally.assigned.withLock { assigned in run.taskIds.compactMap { assigned[$0] }.map { seconds($0 - dispatchStart) * 1000 } }
print(String(
    format: "RESULT dispatch: workers=%d tasks=%d tasks_per_second=%.0f assign_latency_p50_ms=%.1f p99_ms=%.1f max_ms=%.1f",
    workerCount, taskCount, Double(taskCount) / dispatchTotal, percentile(latencies, 0.5), percentile(latencies, 0.99),
    latencies.max() ?? 0))

// 3. Latency of one task to idle workers: create a one-document run, wait for its assignment.
var single: [Double] = []
for round in 0..<20 {
    let start = clock.now
    let one = try await client.createTasks(inSpace: space, pilot: agent, documents: documents(1, from: 2_000_000 + round))
    var assigned: ContinuousClock.Instant?
    while assigned == nil {
        assigned = tally.assigned.withLock { $0[one.taskIds[0]] }
        if assigned == nil { try await Task.sleep(for: .microseconds(200)) }
    }
    single.append(seconds(assigned! - start) * 1000)
    try await Task.sleep(for: .milliseconds(50))
}
print(String(
    format: "RESULT single_task: runs=20 create_to_assignment_p50_ms=%.1f p99_ms=%.1f", percentile(single, 0.5), percentile(single, 0.99)))
for worker in workers { try? await worker.close() }
