import Foundation
import UnpodCore

/// `unpod worker --simulate`: plays a call from a small script instead of dialling, so the whole
/// loop (tasks → worker → results → call logs, analytics, billing) runs on a laptop with no carrier.
/// The outcome is chosen from the contact's number, so the same contact always ends the same way.
enum SimulatedCall {
    static let outcomes = ["interested", "call_back", "not_interested", "not_connected"]

    /// The outcome for a contact: a stable hash of its number (FNV-1a), not Swift's seeded `hashValue`.
    static func outcome(for contact: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in contact.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return outcomes[Int(hash % UInt64(outcomes.count))]
    }

    /// The task's output (platform-api.md 2.4.3) for a call that started at `start`.
    static func output(for task: CallTask, start: Date) -> JSONValue {
        let contact = task.input["contact_number"]?.stringValue ?? ""
        let name = task.input["name"]?.stringValue ?? "there"
        let outcome = outcome(for: contact)
        let connected = outcome != "not_connected"
        let duration = connected ? 30 + Int(abs(contact.hashStable) % 150) : 0
        let end = start.addingTimeInterval(TimeInterval(duration))
        let lines: [(String, String)] =
            switch outcome {
            case "interested": [("assistant", "Hi \(name), do you have a minute about the demo?"), ("user", "Yes, tell me more."), ("assistant", "Great, I'll send the details."), ("user", "Please do.")]
            case "call_back": [("assistant", "Hi \(name), is now a good time?"), ("user", "Not really, call me back tomorrow."), ("assistant", "Sure, talk tomorrow.")]
            case "not_interested": [("assistant", "Hi \(name), can I tell you about our offer?"), ("user", "No thanks, not interested.")]
            default: []
            }
        let summary: String =
            switch outcome {
            case "interested": "\(name) is interested and asked for the details."
            case "call_back": "\(name) asked to be called back tomorrow."
            case "not_interested": "\(name) declined."
            default: "The call did not connect."
            }
        let score: Double =
            switch outcome {
            case "interested": 0.9
            case "call_back": 0.6
            case "not_interested": 0.2
            default: 0
            }
        let cost = Double(duration) / 60 * 0.02
        return .object([
            "call_id": .string("sim_" + task.taskID),
            "call_end_reason": connected ? .string("caller_hangup") : .string("no_answer"),
            "start_time": .string(Timestamp.format(start)),
            "end_time": .string(Timestamp.format(end)),
            "assistant_number": .string("+14155550000"),
            "call_summary": connected ? .string(summary) : .null,
            "duration": .integer(Int64(duration)),
            "recording_url": connected ? .string("https://recordings.example.invalid/\(task.taskID).wav") : .string(""),
            "transcript": .array(lines.map { .object(["role": .string($0.0), "content": .string($0.1)]) }),
            "post_call_data": .object([
                "summary": .string(summary), "outcome": .string(outcome),
                "sentiment": .string(outcome == "interested" ? "positive" : outcome == "not_interested" ? "negative" : "neutral"),
                "success_score": .number(score),
            ]),
            "metadata": .object(["cost": .number((cost * 10_000).rounded() / 10_000), "usage": .object(["seconds": .integer(Int64(duration))])]),
            "call_type": .string("outbound"),
            "call_status": .string(connected ? "completed" : "missed"),
        ])
    }
}

extension String {
    /// A hash that is the same in every process (unlike `hashValue`).
    var hashStable: Int {
        Int(truncatingIfNeeded: utf8.reduce(UInt64(5381)) { ($0 &<< 5) &+ $0 &+ UInt64($1) })
    }
}
