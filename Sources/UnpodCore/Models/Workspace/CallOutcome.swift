import Foundation

/// What analytics reads from a completed task's output (platform-api.md 2.7; the rule is in the
/// README, "Analytics"): its outcome bucket, success score and duration.
public enum CallOutcome {
    /// Shape A's buckets, in the order the dashboard shows them (`failed` is for failed tasks).
    public static let buckets = ["interested", "call_back", "send_details", "not_interested", "not_connected"]

    /// The bucket of a completed call: `post_call_data.outcome` (the flat shape), else
    /// `post_call_data.profile_summary.outcome`, else the first of
    /// `post_call_data.classification.labels`, normalised (lower case, spaces and hyphens as
    /// underscores, `callback` as `call_back`, `no_answer`/`voicemail`/`busy` as `not_connected`);
    /// a call whose `call_status` is `missed` or that lasted 0 s with no outcome is `not_connected`.
    /// Nil when the output names none of the buckets.
    public static func bucket(_ output: JSONValue) -> String? {
        let data = output["post_call_data"]
        var candidates: [String?] = [data?["outcome"]?.stringValue, data?["profile_summary"]?["outcome"]?.stringValue]
        if case .array(let labels)? = data?["classification"]?["labels"] { candidates.append(labels.first?.stringValue) }
        for candidate in candidates.compactMap({ $0 }) {
            if let bucket = normalised(candidate) { return bucket }
        }
        if output["call_status"]?.stringValue == "missed" || duration(output) == 0 { return "not_connected" }
        return nil
    }

    /// `post_call_data.success_score` (or `score`), a number as the agent reports it.
    public static func successScore(_ output: JSONValue) -> Double? {
        let data = output["post_call_data"]
        for value in [data?["success_score"], data?["score"]] {
            switch value {
            case .integer(let number)?: return Double(number)
            case .number(let number)? where number.isFinite: return number
            default: continue
            }
        }
        return nil
    }

    /// `duration` in whole seconds, else `end_time - start_time`; nil when neither is there.
    public static func duration(_ output: JSONValue) -> Int? {
        switch output["duration"] {
        case .integer(let seconds)?: return Int(clamping: max(0, seconds))
        case .number(let seconds)? where seconds.isFinite: return Int(max(0, seconds).rounded())
        default:
            guard let start = output["start_time"]?.stringValue.flatMap({ Timestamp.parse($0)?.date }),
                let end = output["end_time"]?.stringValue.flatMap({ Timestamp.parse($0)?.date })
            else { return nil }
            return max(0, Int(end.timeIntervalSince(start).rounded()))
        }
    }

    static func normalised(_ text: String) -> String? {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        switch word {
        case "callback", "call_back_requested", "callback_requested": return "call_back"
        case "no_answer", "voicemail", "busy", "unreachable": return "not_connected"
        default: return buckets.contains(word) ? word : nil
        }
    }
}
