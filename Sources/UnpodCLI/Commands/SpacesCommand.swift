import ArgumentParser
import UnpodCore
import UnpodPersistence

/// `unpod spaces create|list|archive`: no v2 endpoint creates spaces (G-12), so operators do it here.
struct SpacesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spaces", abstract: "Manage an organization's spaces.",
        subcommands: [Create.self, List.self, Update.self, Archive.self])

    /// `unpod spaces create --org H --name N [--content-type contact] [--agent A]`: prints the space token alone on the last line.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a space; its token is printed on the last line.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String
        @Option(help: "Display name.") var name: String
        @Option(help: "What the space holds, e.g. contact or table.") var contentType = "contact"
        @Option(help: "Description.") var description = ""
        @Option(help: "Handle of the agent assigned to the space (its default pilot).") var agent: String?

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            let space = try await store.createSpace(
                orgID: organization.id, name: name, description: description, contentType: contentType, agentHandle: agent,
                actor: .cli)
            output.line("created space \(space.name) in \(organization.domainHandle); its space_token:")
            output.line(space.token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an organization's spaces.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            let spaces = try await store.spaces(orgID: organization.id, page: 1, pageSize: Int(Int32.max))
            output.line("TOKEN\tNAME\tCONTENT TYPE\tAGENT")
            for space in spaces.items {
                output.line("\(space.token)\t\(space.name)\t\(space.contentType)\t\(space.agentHandle ?? "-")")
            }
        }
    }

    /// `unpod spaces update --org H TOKEN [--name N] [--description D] [--content-type T] [--agent A]`
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Edit a space (an empty --agent takes its agent away).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String
        @Argument(help: "The space's token.") var token: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New description.") var description: String?
        @Option(help: "New content type.") var contentType: String?
        @Option(help: "Handle of the agent assigned to it; empty for none.") var agent: String?

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            let space = try await store.updateSpace(
                orgID: organization.id, token: token, name: name, description: description, contentType: contentType,
                agentHandle: agent, actor: .cli)
            output.line("updated space \(space.token): \(space.name), \(space.contentType), agent \(space.agentHandle ?? "-")")
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive a space: the API no longer shows it.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String
        @Argument(help: "The space's token.") var token: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            try await store.archiveSpace(orgID: organization.id, token: token, actor: .cli)
            output.line("archived space \(token)")
        }
    }
}

/// `unpod agents create|list|publish|archive`: agents are built in the dashboard upstream (G-12).
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "Manage an organization's agents.",
        subcommands: [Create.self, List.self, Update.self, Publish.self, Archive.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an agent (draft unless --publish).")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String
        @Option(help: "The agent's handle: what tasks name as pilot.") var handle: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Voice, Chat, …") var type = "Voice"
        @Option(help: "What the agent is for.") var purpose = ""
        @Option(help: "The voice profile's id (see GET /voice-profiles/).") var voiceProfile: String?
        @Flag(help: "Publish it at once: only published agents take tasks.") var publish = false

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            let agent = try await store.createAgent(
                orgID: organization.id, handle: handle, name: name, type: type, purpose: purpose, voiceProfileID: voiceProfile,
                publish: publish, actor: .cli)
            output.line("created agent \(agent.handle) (\(agent.state.rawValue)) in \(organization.domainHandle)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an organization's agents.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            let agents = try await store.agents(orgID: organization.id, page: 1, pageSize: Int(Int32.max))
            output.line("HANDLE\tNAME\tTYPE\tSTATE")
            for agent in agents.items { output.line("\(agent.handle)\t\(agent.name)\t\(agent.type)\t\(agent.state.rawValue)") }
        }
    }

    /// `unpod agents update --org H HANDLE [--name N] [--type T] [--purpose P] [--voice-profile ID]`
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Edit an agent.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String
        @Argument(help: "The agent's handle.") var handle: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New type.") var type: String?
        @Option(help: "New purpose.") var purpose: String?
        @Option(help: "New voice profile id.") var voiceProfile: String?

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            let agent = try await store.updateAgent(
                orgID: organization.id, handle: handle, name: name, type: type, purpose: purpose, voiceProfileID: voiceProfile,
                actor: .cli)
            output.line("updated agent \(agent.handle): \(agent.name), \(agent.type), \(agent.state.rawValue)")
        }
    }

    /// `unpod agents publish|archive --org H HANDLE`: one agent's state, set.
    struct AgentHandle: ParsableArguments {
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization's Org-Handle.") var org: String
        @Argument(help: "The agent's handle.") var handle: String

        func set(_ state: Agent.State, store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            try await store.setAgentState(orgID: organization.id, handle: handle, state, actor: .cli)
            output.line("\(state.rawValue) agent \(handle)")
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish an agent: it takes tasks from then on.")
        @OptionGroup var agent: AgentHandle

        func run() async throws {
            try await agent.database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            try await agent.set(.published, store: store, output: output)
        }
    }

    struct Archive: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive an agent: it takes no new tasks.")
        @OptionGroup var agent: AgentHandle

        func run() async throws {
            try await agent.database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            try await agent.set(.archived, store: store, output: output)
        }
    }
}
