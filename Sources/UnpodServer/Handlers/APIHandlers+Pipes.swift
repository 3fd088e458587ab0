import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Pipes and the embedded agent (issue 17, item 3): what the SDK's `client.pipes` and
/// `client.agent.voice.create` send, each answering a pipe that sessions can name.
extension APIHandlers {
    func listPipes(_ input: Operations.ListPipes.Input) async throws -> Operations.ListPipes.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let pipes = try await store.pipes(orgID: organization.id)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Pipes fetched.", data: pipes.map(Components.Schemas.Pipe.init), count: pipes.count))))
    }

    func createPipe(_ input: Operations.CreatePipe.Input) async throws -> Operations.CreatePipe.Output {
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let fields = try PipeSettings.json(body)
        let brain: BrainSource
        switch (body.agentId, body.agentEndpoint) {
        case (let handle?, nil): brain = .agent(handle)
        case (nil, let url?): brain = .endpoint(url)
        default: throw APIError.invalidParameters("name exactly one of agent_id and agent_endpoint")
        }
        let pipe = try await makePipe(
            name: body.name, brain: brain, voiceProfile: body.voiceProfile, recording: body.recording, maxDuration: body.maxCallDurationS,
            fields: fields)
        return .created(.init(body: .json(.init(statusCode: ._201, message: "Pipe created.", data: .init(pipe)))))
    }

    func createEmbeddedAgent(_ input: Operations.CreateEmbeddedAgent.Input) async throws -> Operations.CreateEmbeddedAgent.Output {
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let sources: [BrainSource] = [
            body.agentId.map(BrainSource.agent), body.agentEndpoint.map(BrainSource.endpoint), body.prompt.map(BrainSource.prompt),
            body.playbook.map(BrainSource.playbook),
        ].compactMap { $0 }
        guard sources.count == 1, let brain = sources.first else {
            throw APIError.invalidParameters("name exactly one of agent_id, agent_endpoint, prompt and playbook")
        }
        let pipe = try await makePipe(
            name: body.name, brain: brain, voiceProfile: body.voiceProfile, recording: body.recording, maxDuration: body.maxCallDurationS,
            fields: try PipeSettings.json(body))
        return .created(.init(body: .json(.init(statusCode: ._201, message: "Agent created.", data: .init(pipe)))))
    }

    func getPipe(_ input: Operations.GetPipe.Input) async throws -> Operations.GetPipe.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let found = try await store.pipe(orgID: organization.id, pipeID: input.path.pipeId) else { throw APIError.notFound("Pipe not found.") }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Pipe fetched.", data: .init(found.pipe)))))
    }

    func updatePipe(_ input: Operations.UpdatePipe.Input) async throws -> Operations.UpdatePipe.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let extra = PipeSettings.extra(try PipeSettings.json(body))
        var voice: String?
        if let profile = body.voiceProfile { voice = try await self.voice(profile, greeting: nil, isDefault: true).voiceProfileID }
        let chosenVoice = voice
        let updated = try await store.updatePipe(orgID: organization.id, pipeID: input.path.pipeId, actor: try auditActor()) { pipe in
            var details: [String: String] = [:]
            if let name = body.name, name != pipe.name { (pipe.name, details["name"]) = (name, name) }
            if let voice = chosenVoice, voice != pipe.voiceProfileID { (pipe.voiceProfileID, details["voice_profile"]) = (voice, voice) }
            if let recording = body.recording, recording != pipe.recording { (pipe.recording, details["recording"]) = (recording, "\(recording)") }
            if let seconds = body.maxCallDurationS, seconds != pipe.maxCallDurationSeconds {
                (pipe.maxCallDurationSeconds, details["max_call_duration_s"]) = (seconds, "\(seconds)")
            }
            for (key, value) in extra where pipe.extra[key] != value {
                pipe.extra[key] = value
                details[key] = "changed"
            }
            return details.isEmpty ? nil : details
        }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Pipe updated.", data: .init(updated)))))
    }

    func deletePipe(_ input: Operations.DeletePipe.Input) async throws -> Operations.DeletePipe.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        try await store.deletePipe(orgID: organization.id, pipeID: input.path.pipeId, actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Pipe deleted.", data: .init(pipeId: input.path.pipeId, deleted: true)))))
    }

    /// Where a new pipe's calls go.
    enum BrainSource {
        case agent(String)
        case endpoint(String)
        case prompt(String)
        case playbook(String)
    }

    private func makePipe(
        name: String, brain source: BrainSource, voiceProfile: String?, recording: Bool?, maxDuration: Int?, fields: [String: JSONValue]
    ) async throws -> SpeechPipe {
        let organization = try APIRequestScope.current().requireMembership().organization
        let seconds = maxDuration ?? 3600
        guard (1...SpeechSettings.longestCall).contains(seconds) else {
            throw APIError.invalidParameters("max_call_duration_s must be a whole number from 1 to \(SpeechSettings.longestCall)")
        }
        var voice: AgentVoice?
        if let voiceProfile { voice = try await self.voice(voiceProfile, greeting: nil, isDefault: true) }
        let agent: PipeAgent
        switch source {
        case .agent(let handle):
            guard let record = try await store.agent(handle: handle), record.orgID == organization.id, record.agent.state == .published else {
                throw APIError.notFound("Agent not found.")
            }
            agent = .existing(record)
        case .endpoint(let url):
            let (brain, _) = try SpeechAgentChange.brain(.object(["type": .string("endpoint"), "ref": .string(url)]))
            agent = .new(handle: PipeSettings.agentHandle(for: name), name: name, settings: settings(brain, voice, recording, seconds), apiKey: nil)
        case .prompt(let text):
            let (brain, _) = try SpeechAgentChange.brain(.object(["type": .string("prompt"), "ref": .string(text)]))
            agent = .new(handle: PipeSettings.agentHandle(for: name), name: name, settings: settings(brain, voice, recording, seconds), apiKey: nil)
        case .playbook(let yaml):
            guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, yaml.count <= 100_000 else {
                throw APIError.invalidParameters("playbook must be the playbook's YAML (at most 100,000 characters)")
            }
            agent = .new(
                handle: PipeSettings.agentHandle(for: name), name: name,
                settings: settings(AgentBrain(kind: .playbook, ref: yaml), voice, recording, seconds), apiKey: nil)
        }
        return try await store.createPipe(
            NewPipe(
                orgID: organization.id, agent: agent, name: name, voiceProfileID: voice?.voiceProfileID, recording: recording ?? false,
                maxCallDurationSeconds: seconds, extra: PipeSettings.extra(fields)),
            actor: try auditActor())
    }

    private func settings(_ brain: AgentBrain, _ voice: AgentVoice?, _ recording: Bool?, _ seconds: Int) -> SpeechSettings {
        SpeechSettings(brain: brain, recording: recording ?? false, maxCallDurationSeconds: seconds, voices: voice.map { [$0] } ?? [])
    }
}

extension Components.Schemas.Pipe {
    init(_ pipe: SpeechPipe) {
        self.init(
            pipeId: pipe.pipeID, projectId: pipe.orgHandle, name: pipe.name, voiceProfile: .init(pipe.voiceProfileID),
            agentId: pipe.agentHandle, agentEndpoint: .init(pipe.brain?.kind == .endpoint ? pipe.brain?.ref : nil),
            playbookId: .init(pipe.brain?.kind == .playbook ? pipe.pipeID : nil), recording: pipe.recording,
            maxCallDurationS: pipe.maxCallDurationSeconds, status: .active, domain: .init(pipe.extra["domain"]?.stringValue),
            backgroundSound: .init(pipe.extra["background_sound"]?.stringValue),
            backgroundSoundEnabled: pipe.extra["background_sound_enabled"] != .bool(false),
            backgroundSoundVolume: .init(pipe.extra["background_sound_volume"]?.numberValue),
            noiseCancellation: .init(pipe.extra["noise_cancellation"]?.stringValue), firstSpeaker: .init(pipe.extra["first_speaker"]?.stringValue),
            created: pipe.created, modified: pipe.modified)
    }
}
