import Foundation
import UnpodCore

/// A change to an agent's speech settings as the SDK sends it (`S/agents` create, or `PUT` with any
/// subset), checked key by key with what is wrong said in the 400. Keys this server does not use
/// are kept as sent (the SDK's `update` takes free keys).
struct SpeechAgentChange: Sendable {
    var name: String?
    var brain: AgentBrain?
    /// The endpoint brain's key: nil when the body names none.
    var apiKey: String?
    var brainExecution: String?
    var greeting: String?
    var recording: Bool?
    var maxCallDurationSeconds: Int?
    var maxConcurrent: Int?
    var voiceProfile: String?
    var extra: [String: JSONValue] = [:]

    /// Keys read back at the top level of an agent, stored among the extra settings.
    static let namedExtras: [String: @Sendable (JSONValue) -> Bool] = [
        "domain": { if case .string(let text) = $0 { text.count <= 100 } else { $0 == .null } },
        "background_sound": { ["office", "city", "forest", "crowded_room", "none"].contains($0.stringValue ?? "") },
        "background_sound_enabled": { if case .bool = $0 { true } else { false } },
        "background_sound_volume": { (0...1).contains($0.numberValue ?? -1) },
        "noise_cancellation": {
            ["rnnoise", "hush", "aic", "krisp", "bvc", "bvc-telephony", "none"].contains($0.stringValue ?? "")
        },
        "cache_mode": { ["active", "shadow", "off"].contains($0.stringValue ?? "") },
    ]

    init(json body: JSONValue, creating: Bool) throws {
        guard case .object(let fields) = body else { throw APIError.invalidParameters("the body must be a JSON object") }
        for (key, value) in fields {
            switch key {
            case "agent_id" where creating: continue
            case "name":
                guard let text = value.stringValue, (1...200).contains(text.trimmingCharacters(in: .whitespaces).count) else {
                    throw APIError.invalidParameters("name must be 1 to 200 characters")
                }
                name = text
            case "brain": (brain, apiKey) = try Self.brain(value)
            case "brain_execution":
                guard let text = value.stringValue, (1...40).contains(text.count) else {
                    throw APIError.invalidParameters("brain_execution must be 1 to 40 characters")
                }
                brainExecution = text
            case "greeting":
                guard let text = value.stringValue, text.count <= 2000 else {
                    throw APIError.invalidParameters("greeting must be a string of at most 2,000 characters")
                }
                greeting = text
            case "recording":
                guard case .bool(let flag) = value else { throw APIError.invalidParameters("recording must be true or false") }
                recording = flag
            case "max_call_duration_s":
                guard let seconds = value.integerValue, (1...SpeechSettings.longestCall).contains(seconds) else {
                    throw APIError.invalidParameters("max_call_duration_s must be a whole number from 1 to \(SpeechSettings.longestCall)")
                }
                maxCallDurationSeconds = seconds
            case "max_concurrent":
                guard let count = value.integerValue, (1...1000).contains(count) else {
                    throw APIError.invalidParameters("max_concurrent must be a whole number from 1 to 1000")
                }
                maxConcurrent = count
            case "voice_profile" where creating:
                guard let text = value.stringValue, (1...100).contains(text.count) else {
                    throw APIError.invalidParameters("voice_profile must be a voice profile id")
                }
                voiceProfile = text
            default:
                if let valid = Self.namedExtras[key], !valid(value) {
                    throw APIError.invalidParameters("\(key) has a value this server does not accept")
                }
                guard key.count <= 100 else { throw APIError.invalidParameters("a setting's name is at most 100 characters") }
                extra[key] = value
            }
        }
        if creating, brain == nil { throw APIError.invalidParameters("brain is required: {type: runner, prompt, endpoint or playbook}") }
        if !creating, let size = try? JSONEncoder().encode(extra).count, size > 16_384 {
            throw APIError.invalidParameters("the extra settings are at most 16 KiB of JSON")
        }
    }

    /// Applies the change; answers what changed for the audit log, nil when nothing did (a new
    /// `api_key` is recorded by the store, which seals it).
    func apply(to name: inout String, _ settings: inout SpeechSettings) -> [String: String]? {
        var details: [String: String] = [:]
        if let value = self.name, value != name { (name, details["name"]) = (value, value) }
        if let brain {
            settings.brain = brain
            details["brain"] = brain.kind.rawValue
        }
        if let value = brainExecution, value != settings.brainExecution { (settings.brainExecution, details["brain_execution"]) = (value, value) }
        if let value = greeting, value != settings.greeting { (settings.greeting, details["greeting"]) = (value, "changed") }
        if let value = recording, value != settings.recording { (settings.recording, details["recording"]) = (value, "\(value)") }
        if let value = maxCallDurationSeconds, value != settings.maxCallDurationSeconds {
            (settings.maxCallDurationSeconds, details["max_call_duration_s"]) = (value, "\(value)")
        }
        if let value = maxConcurrent, value != settings.maxConcurrent {
            (settings.maxConcurrent, details["max_concurrent"]) = (value, "\(value)")
        }
        for (key, value) in extra where settings.extra[key] != value {
            settings.extra[key] = value
            details[key] = "changed"
        }
        return details.isEmpty ? nil : details
    }

    /// `{type, ref?, cfg?}`: what each kind needs, and the endpoint's key taken out of `cfg`.
    static func brain(_ value: JSONValue) throws -> (AgentBrain, String?) {
        guard case .object(let fields) = value, let typeName = fields["type"]?.stringValue else {
            throw APIError.invalidParameters("brain must be an object {type, ref?, cfg?}")
        }
        guard let kind = AgentBrain.Kind(rawValue: typeName) else {
            throw APIError.invalidParameters("brain.type must be runner, prompt, endpoint or playbook")
        }
        for key in fields.keys where !["type", "ref", "cfg"].contains(key) {
            throw APIError.invalidParameters("brain has no key \(key) (type, ref and cfg only)")
        }
        var ref: String?
        switch fields["ref"] {
        case nil, .null?: ref = nil
        case .string(let text)?:
            guard (1...20_000).contains(text.count) else { throw APIError.invalidParameters("brain.ref must be 1 to 20,000 characters") }
            ref = text
        default: throw APIError.invalidParameters("brain.ref must be a string")
        }
        var configuration: [String: JSONValue] = [:]
        switch fields["cfg"] {
        case nil, .null?: break
        case .object(let given)?: configuration = given
        default: throw APIError.invalidParameters("brain.cfg must be an object")
        }
        switch kind {
        case .runner:
            if let ref, ref.count > 64 || !ref.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }) {
                throw APIError.invalidParameters("a runner brain's ref is an agent id")
            }
            guard configuration.isEmpty else { throw APIError.invalidParameters("a runner brain takes no cfg") }
            return (AgentBrain(kind: kind, ref: ref), nil)
        case .playbook:
            guard ref != nil else { throw APIError.invalidParameters("a playbook brain needs ref: the playbook's id") }
            guard configuration.isEmpty else { throw APIError.invalidParameters("a playbook brain takes no cfg") }
            return (AgentBrain(kind: kind, ref: ref), nil)
        case .prompt:
            guard let ref, !ref.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw APIError.invalidParameters("a prompt brain needs ref: the prompt's text")
            }
            for key in configuration.keys where key != "model" {
                throw APIError.invalidParameters("a prompt brain's cfg takes model only, not \(key)")
            }
            if let model = configuration["model"], !(1...200).contains(model.stringValue?.count ?? 0) {
                throw APIError.invalidParameters("brain.cfg.model must be a model name")
            }
            return (AgentBrain(kind: kind, ref: ref, configuration: configuration), nil)
        case .endpoint:
            guard let ref, let url = URL(string: ref), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                ref.count <= 2048
            else { throw APIError.invalidParameters("an endpoint brain needs ref: an http or https URL of an OpenAI-compatible API") }
            var apiKey: String?
            for (key, value) in configuration {
                switch key {
                case "api_key":
                    guard let text = value.stringValue, (1...1000).contains(text.count) else {
                        throw APIError.invalidParameters("brain.cfg.api_key must be 1 to 1,000 characters")
                    }
                    apiKey = text
                case "model":
                    guard (1...200).contains(value.stringValue?.count ?? 0) else {
                        throw APIError.invalidParameters("brain.cfg.model must be a model name")
                    }
                case "headers", "query":
                    guard case .object(let map) = value, map.count <= 50, map.values.allSatisfy({ $0.stringValue != nil }) else {
                        throw APIError.invalidParameters("brain.cfg.\(key) must be an object of at most 50 strings")
                    }
                case "extra_body":
                    guard case .object = value else { throw APIError.invalidParameters("brain.cfg.extra_body must be an object") }
                case "timeout_s":
                    guard let seconds = value.numberValue, (0.1...300).contains(seconds) else {
                        throw APIError.invalidParameters("brain.cfg.timeout_s must be from 0.1 to 300 seconds")
                    }
                case "max_retries":
                    guard let count = value.integerValue, (0...10).contains(count) else {
                        throw APIError.invalidParameters("brain.cfg.max_retries must be a whole number from 0 to 10")
                    }
                default:
                    throw APIError.invalidParameters(
                        "an endpoint brain's cfg takes model, api_key, headers, query, extra_body, timeout_s and max_retries, not \(key)")
                }
            }
            configuration["api_key"] = nil
            return (AgentBrain(kind: kind, ref: ref, configuration: configuration), apiKey)
        }
    }
}
