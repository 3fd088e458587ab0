import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// The speech plane's agents (issue 17, `S/agents`): an agent's brain, voices and call limits, as
/// the SDK's `client.agents` reads and writes them.
extension APIHandlers {
    func listSpeechAgents(_ input: Operations.ListSpeechAgents.Input) async throws -> Operations.ListSpeechAgents.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let agents = try await store.speechAgents(orgID: organization.id)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Agents fetched.", data: agents.map { Components.Schemas.SpeechAgent($0) }, count: agents.count))))
    }

    func createSpeechAgent(_ input: Operations.CreateSpeechAgent.Input) async throws -> Operations.CreateSpeechAgent.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(body))
        let change = try SpeechAgentChange(json: json, creating: true)
        var settings = SpeechSettings(brain: change.brain ?? AgentBrain(kind: .runner, ref: nil))
        var name = change.name ?? body.agentId
        _ = change.apply(to: &name, &settings)
        if let profileID = change.voiceProfile {
            settings.voices = [try await voice(profileID, greeting: nil, isDefault: true)]
        }
        let created = try await store.createSpeechAgent(
            orgID: organization.id, handle: body.agentId, name: name, settings: settings, apiKey: change.apiKey, actor: try auditActor())
        return .created(
            .init(body: .json(.init(statusCode: ._201, message: "Agent created.", data: .init(created, voice: settings.voices.first)))))
    }

    func getSpeechAgent(_ input: Operations.GetSpeechAgent.Input) async throws -> Operations.GetSpeechAgent.Output {
        let agent = try await speechAgent(input.path.agentId)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Agent fetched.", data: .init(agent)))))
    }

    func updateSpeechAgent(_ input: Operations.UpdateSpeechAgent.Input) async throws -> Operations.UpdateSpeechAgent.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let change = try SpeechAgentChange(json: body, creating: false)
        // A new endpoint brain without api_key keeps the stored key; a brain of another kind drops it (the store).
        let apiKey: String?? = change.apiKey.map { .some($0) }
        let updated = try await store.updateSpeechAgent(
            orgID: organization.id, handle: input.path.agentId, action: "speech_agent.updated",
            apiKey: apiKey, actor: try auditActor()
        ) { name, settings in change.apply(to: &name, &settings) }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Agent updated.", data: .init(updated)))))
    }

    func deleteSpeechAgent(_ input: Operations.DeleteSpeechAgent.Input) async throws -> Operations.DeleteSpeechAgent.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        try await store.deleteSpeechAgent(orgID: organization.id, handle: input.path.agentId, actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Agent deleted.", data: .init(agentId: input.path.agentId, deleted: true)))))
    }

    // MARK: Voices

    func addSpeechAgentVoice(_ input: Operations.AddSpeechAgentVoice.Input) async throws -> Operations.AddSpeechAgentVoice.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        if let greeting = body.greeting, greeting.count > 2000 { throw APIError.invalidParameters("greeting is at most 2,000 characters") }
        let added = try await voice(body.voiceProfile, greeting: body.greeting, isDefault: false)
        let updated = try await store.updateSpeechAgent(
            orgID: organization.id, handle: input.path.agentId, action: "speech_agent.voice_added", apiKey: nil, actor: try auditActor()
        ) { _, settings in
            guard !settings.voices.contains(where: { $0.voiceProfileID == added.voiceProfileID }) else {
                throw APIError.conflict("The agent already speaks with voice profile \(added.voiceProfileID).")
            }
            var voice = added
            voice.isDefault = settings.voices.isEmpty
            settings.voices.append(voice)
            return ["voice_profile_id": voice.voiceProfileID]
        }
        let voice = updated.settings?.voices.first { $0.voiceProfileID == added.voiceProfileID }
        return .created(.init(body: .json(.init(statusCode: ._201, message: "Voice added.", data: .init(updated, voice: voice)))))
    }

    func updateSpeechAgentVoice(_ input: Operations.UpdateSpeechAgentVoice.Input) async throws -> Operations.UpdateSpeechAgentVoice.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        if let greeting = body.greeting, greeting.count > 2000 { throw APIError.invalidParameters("greeting is at most 2,000 characters") }
        let profileID = input.path.voiceProfileId
        let updated = try await store.updateSpeechAgent(
            orgID: organization.id, handle: input.path.agentId, action: "speech_agent.voice_updated", apiKey: nil, actor: try auditActor()
        ) { _, settings in
            guard let index = settings.voices.firstIndex(where: { $0.voiceProfileID == profileID }) else {
                throw APIError.notFound("Voice not found.")
            }
            var details: [String: String] = [:]
            if let greeting = body.greeting, greeting != settings.voices[index].greeting {
                settings.voices[index].greeting = greeting
                details["greeting"] = "changed"
            }
            if body.isDefault == true, !settings.voices[index].isDefault {
                for other in settings.voices.indices { settings.voices[other].isDefault = other == index }
                details["is_default"] = "true"
            }
            return details.isEmpty ? nil : details.merging(["voice_profile_id": profileID]) { $1 }
        }
        let voice = updated.settings?.voices.first { $0.voiceProfileID == profileID }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Voice updated.", data: .init(updated, voice: voice)))))
    }

    func removeSpeechAgentVoice(_ input: Operations.RemoveSpeechAgentVoice.Input) async throws -> Operations.RemoveSpeechAgentVoice.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let profileID = input.path.voiceProfileId
        _ = try await store.updateSpeechAgent(
            orgID: organization.id, handle: input.path.agentId, action: "speech_agent.voice_removed", apiKey: nil, actor: try auditActor()
        ) { _, settings in
            guard let index = settings.voices.firstIndex(where: { $0.voiceProfileID == profileID }) else {
                throw APIError.notFound("Voice not found.")
            }
            let wasDefault = settings.voices.remove(at: index).isDefault
            if wasDefault, !settings.voices.isEmpty { settings.voices[0].isDefault = true }
            return ["voice_profile_id": profileID]
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Voice removed.",
                        data: .init(agentId: input.path.agentId, voiceProfileId: profileID, removed: true)))))
    }

    // MARK: Lookups

    private func speechAgent(_ handle: String) async throws -> SpeechAgentRecord {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let agent = try await store.speechAgent(orgID: organization.id, handle: handle), agent.agent.state != .archived else {
            throw APIError.notFound("Agent not found.")
        }
        return agent
    }

    /// A voice of the catalogue (`voice_profiles`), or the 400 that says it is not one.
    func voice(_ profileID: String, greeting: String?, isDefault: Bool) async throws -> AgentVoice {
        guard (1...100).contains(profileID.count), let profile = try await store.voiceProfile(profileID) else {
            throw APIError.invalidParameters("voice_profile \(profileID) is not a voice profile of the catalogue (GET /voice-profiles/)")
        }
        return AgentVoice(voiceProfileID: profile.profileId, profileName: profile.persona, greeting: greeting, isDefault: isDefault)
    }
}

extension Components.Schemas.SpeechBrain {
    init(_ settings: SpeechSettings?) {
        guard let brain = settings?.brain else {
            self.init(_type: .none, ref: nil, cfg: .emptyObject)
            return
        }
        self.init(_type: .init(rawValue: brain.kind.rawValue) ?? .runner, ref: .init(brain.ref), cfg: .object(brain.configurationForReading))
    }
}

extension Components.Schemas.SpeechAgent {
    /// The agent as read; `withVoices: false` leaves `voices` empty (each voice repeats the agent's fields).
    init(_ record: SpeechAgentRecord, withVoices: Bool = true) {
        let settings = record.settings
        let extra = settings?.extra ?? [:]
        self.init(
            agentId: record.agent.handle, name: record.agent.name, brain: .init(settings),
            brainExecution: settings?.brainExecution ?? "bridge", domain: .init(extra["domain"]?.stringValue),
            noiseCancellation: .init(extra["noise_cancellation"]?.stringValue), backgroundSound: .init(extra["background_sound"]?.stringValue),
            backgroundSoundEnabled: extra["background_sound_enabled"] != .bool(false),
            backgroundSoundVolume: .init(extra["background_sound_volume"]?.numberValue), state: record.agent.state,
            greeting: .init(settings?.greeting), recording: settings?.recording ?? false,
            maxCallDurationS: settings?.maxCallDurationSeconds ?? 3600, maxConcurrent: settings?.maxConcurrent ?? 1,
            cacheMode: .init(extra["cache_mode"]?.stringValue),
            voices: withVoices ? (settings?.voices ?? []).map { Components.Schemas.SpeechAgentVoice(record, voice: $0) } : [],
            extra: .object(extra.filter { SpeechAgentChange.namedExtras[$0.key] == nil }))
    }
}

extension Components.Schemas.SpeechAgentVoice {
    /// One voice of the agent (nil: an agent without voices yet, read as its brain alone).
    init(_ record: SpeechAgentRecord, voice: AgentVoice?) {
        let agent = Components.Schemas.SpeechAgent(record, withVoices: false)
        self.init(
            agentId: agent.agentId, name: agent.name, brain: agent.brain, brainExecution: agent.brainExecution, domain: agent.domain,
            noiseCancellation: agent.noiseCancellation, backgroundSound: agent.backgroundSound,
            backgroundSoundEnabled: agent.backgroundSoundEnabled, backgroundSoundVolume: agent.backgroundSoundVolume,
            voiceProfileId: .init(voice?.voiceProfileID), voiceProfileName: .init(voice?.profileName),
            greeting: .init(voice?.greeting ?? record.settings?.greeting), isDefault: voice?.isDefault ?? false)
    }
}
