import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport
@testable import UnpodCLI

/// `unpod spaces` and `unpod agents` (issue 9, item 1): what the API then lists.
@Suite struct WorkspaceCommandTests {
    @Test(arguments: TestDatabase.all)
    func spacesAndAgentsFromTheCommandLine(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let owner = try await Fixture.make(store)
            func run<Command: AsyncParsableCommandWithStore>(_ arguments: [String], as type: Command.Type) async throws -> [String] {
                let output = Lines()
                try await (try UnpodCommand.parseAsRoot(arguments) as! Command).execute(store: store, output: output)
                return output.all
            }
            let created = try await run(
                ["agents", "create", "--org", "acme", "--handle", "support", "--name", "Support", "--purpose", "Help"],
                as: AgentsCommand.Create.self)
            #expect(created == ["created agent support (draft) in acme"])
            _ = try await run(["agents", "publish", "--org", "acme", "support"], as: AgentsCommand.Publish.self)
            #expect(try await store.agent(handle: "support")?.agent.state == .published)
            await #expect(throws: (any Error).self) {
                _ = try await run(["agents", "create", "--org", "acme", "--handle", "support", "--name", "Again"], as: AgentsCommand.Create.self)
            }
            await #expect(throws: (any Error).self) {
                _ = try await run(["agents", "create", "--org", "acme", "--handle", "Bad Handle", "--name", "X"], as: AgentsCommand.Create.self)
            }

            let spaceLines = try await run(
                ["spaces", "create", "--org", "acme", "--name", "Leads", "--agent", "support"], as: SpacesCommand.Create.self)
            let token = try #require(spaceLines.last)
            let space = try #require(try await store.space(token: token), "the last line is the space token alone")
            #expect(space.orgID == owner.organization.id && space.space.contentType == "contact" && space.space.agentHandle == "support")
            let listed = try await run(["spaces", "list", "--org", "acme"], as: SpacesCommand.List.self)
            #expect(listed.count == 2 && listed[1].hasPrefix(token))
            let agents = try await run(["agents", "list", "--org", "acme"], as: AgentsCommand.List.self)
            #expect(agents == ["HANDLE\tNAME\tTYPE\tSTATE", "support\tSupport\tVoice\tpublished"])

            let updated = try await run(
                ["agents", "update", "--org", "acme", "support", "--name", "Support desk", "--purpose", "Answer questions"],
                as: AgentsCommand.Update.self)
            #expect(updated == ["updated agent support: Support desk, Voice, published"])
            #expect(try await store.agent(handle: "support")?.agent.purpose == "Answer questions")
            _ = try await run(["spaces", "update", "--org", "acme", token, "--name", "Leads Q4", "--agent", ""], as: SpacesCommand.Update.self)
            let renamed = try #require(try await store.space(token: token)).space
            #expect(renamed.name == "Leads Q4" && renamed.agentHandle == nil && renamed.contentType == "contact")

            _ = try await run(["agents", "archive", "--org", "acme", "support"], as: AgentsCommand.Archive.self)
            #expect(try await store.agent(handle: "support")?.agent.state == .archived)
            _ = try await run(["spaces", "archive", "--org", "acme", token], as: SpacesCommand.Archive.self)
            #expect(try await store.space(token: token) == nil)
            let actions = try await store.auditEvents(AuditFilter(orgID: owner.organization.id), page: 1, pageSize: 50).items.map(\.action)
            for action in ["agent.created", "agent.updated", "agent.published", "agent.archived", "space.created", "space.updated", "space.archived"] {
                #expect(actions.contains(action), "\(action)")
            }
        }
    }
}

/// The commands these tests run: parsed, then executed against the test's store.
protocol AsyncParsableCommandWithStore {
    func execute(store: SQLStore, output: some Output) async throws
}

extension AgentsCommand.Create: AsyncParsableCommandWithStore {}
extension AgentsCommand.Publish: AsyncParsableCommandWithStore {}
extension AgentsCommand.Archive: AsyncParsableCommandWithStore {}
extension AgentsCommand.List: AsyncParsableCommandWithStore {}
extension AgentsCommand.Update: AsyncParsableCommandWithStore {}
extension SpacesCommand.Update: AsyncParsableCommandWithStore {}
extension SpacesCommand.Create: AsyncParsableCommandWithStore {}
extension SpacesCommand.List: AsyncParsableCommandWithStore {}
extension SpacesCommand.Archive: AsyncParsableCommandWithStore {}
