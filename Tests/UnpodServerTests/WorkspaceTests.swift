import Foundation
import HTTPTypes
import Testing
import UnpodAPI
import UnpodCore
import UnpodPersistence
@testable import UnpodServer
import UnpodTestSupport

/// Spaces, agents, tasks and runs (issue 9, items 1 and 2): the documented shapes, messages and
/// errors, and isolation between organizations, over a real socket on SQLite and PostgreSQL.
@Suite struct WorkspaceTests {
    /// Two organizations, each with a published agent and a space; `acme` also has a draft agent.
    struct Seed: Sendable {
        let owner: Fixture
        let outsider: Fixture
        let space: Space
        let otherSpace: Space
    }

    static func seed(_ store: SQLStore) async throws -> Seed {
        let owner = try await Fixture.make(store)
        let outsider = try await Fixture.make(store, email: "outsider@example.com", handle: "other")
        _ = try await store.createAgent(
            orgID: owner.organization.id, handle: "sales-bot", name: "Sales", type: "Voice", purpose: "Book demos",
            voiceProfileID: nil, publish: true, actor: .cli)
        _ = try await store.createAgent(
            orgID: owner.organization.id, handle: "draft-bot", name: "Draft", type: "Voice", purpose: "", voiceProfileID: nil,
            publish: false, actor: .cli)
        _ = try await store.createAgent(
            orgID: outsider.organization.id, handle: "their-bot", name: "Theirs", type: "Voice", purpose: "", voiceProfileID: nil,
            publish: true, actor: .cli)
        let space = try await store.createSpace(
            orgID: owner.organization.id, name: "Leads November", contentType: "contact", agentHandle: "sales-bot", actor: .cli)
        let otherSpace = try await store.createSpace(
            orgID: outsider.organization.id, name: "Their leads", contentType: "contact", agentHandle: nil, actor: .cli)
        return Seed(owner: owner, outsider: outsider, space: space, otherSpace: otherSpace)
    }

    static let api = "/api/v2/platform"

    static func documents(_ count: Int, offset: Int = 0) -> String {
        (0..<count).map { index in
            #"{"name": "Contact \#(index + offset)", "contact_number": "+1415555\#(String(format: "%04d", index + offset))", "document_id": "doc-\#(index + offset)", "labels": ["vip"], "quality": 0.5, "time": null}"#
        }.joined(separator: ", ")
    }

    @Test(arguments: TestDatabase.all)
    func spacesAndAgentsReadAsDocumented(engine: TestDatabase) async throws {
        try await withServer(engine, seed: Self.seed, Self.reads)
    }

    static func reads(_ server: TestServer, _ seed: Seed) async throws {
        let token = seed.owner.token
        expectError(try await server.get("\(api)/spaces/", token: token), .orgHandleRequired)
        let spaces = try await server.get("\(api)/spaces/", token: token, orgHandle: "acme")
        #expect(spaces.status == .ok)
        #expect(spaces.json["message"] as? String == "Spaces fetched successfully" && spaces.json["count"] as? Int == 1)
        let listed = try #require((spaces.json["data"] as? [[String: Any]])?.first)
        #expect(
            Set(listed.keys) == [
                "id", "name", "slug", "token", "description", "logo", "privacy_type", "space_type", "content_type",
                "organization", "agent_handle", "created_at",
            ])
        #expect(listed["token"] as? String == seed.space.token && listed["agent_handle"] as? String == "sales-bot")
        #expect((listed["organization"] as? [String: Any])?["domain_handle"] as? String == "acme")

        // SPC-2 takes the organization from the space; Org-Handle is optional.
        let one = try await server.get("\(api)/spaces/\(seed.space.token)/", token: token)
        #expect(one.status == .ok && one.json["message"] as? String == "Space fetched successfully")
        #expect(try one.decode(ObjectEnvelope<Components.Schemas.Space>.self).data == Components.Schemas.Space(seed.space))
        expectError(try await server.get("\(api)/spaces/nope/", token: token), .notFound("Space not found."))

        let agents = try await server.get("\(api)/agents/", token: token, orgHandle: "acme")
        #expect(agents.json["message"] as? String == "Agents fetched successfully")
        let decoded = try agents.decode(ListEnvelope<Components.Schemas.Agent>.self)
        #expect(decoded.data.map(\.handle) == ["sales-bot", "draft-bot"] && decoded.data.map(\.state) == [.published, .draft])

        let tasks = try await server.get("\(api)/agents/sales-bot/tasks/", token: token)
        #expect(tasks.status == .ok && tasks.json["message"] as? String == "Tasks Fetched Successfully" && tasks.json["count"] as? Int == 0)
        // AGT-2's 404 is documented without status_code and without the period; AGT-3's with both.
        let missing = try await server.get("\(api)/agents/nobody/tasks/", token: token)
        #expect(missing.status == .notFound && missing.text == #"{"message":"Agent not found"}"#)
        expectError(try await server.get("\(api)/agents/nobody/executions/", token: token), .notFound("Agent not found."))
        let executions = try await server.get("\(api)/agents/sales-bot/executions/", token: token)
        #expect(executions.json["message"] as? String == "Executions fetched successfully")
    }

    @Test(arguments: TestDatabase.all)
    func anotherOrganizationsResourcesAreNotFound(engine: TestDatabase) async throws {
        try await withServer(engine, seed: Self.seed, Self.isolation)
    }

    static func isolation(_ server: TestServer, _ seed: Seed) async throws {
        let created = try await server.request(
            .post, "\(api)/spaces/\(seed.space.token)/tasks/create/", authorization: "Token \(seed.owner.token)",
            json: #"{"pilot": "sales-bot", "documents": [\#(documents(1))]}"#)
        #expect(created.status == .ok)
        let runID = try #require((created.json["data"] as? [String: Any])?["run_id"] as? String)

        let theirs = seed.outsider.token
        expectError(try await server.get("\(api)/spaces/", token: theirs, orgHandle: "acme"), .invalidOrganization)
        expectError(try await server.get("\(api)/agents/", token: theirs, orgHandle: "acme"), .invalidOrganization)
        let spaceNotFound = APIError.notFound("Space not found.")
        expectError(try await server.get("\(api)/spaces/\(seed.space.token)/", token: theirs), spaceNotFound)
        expectError(try await server.get("\(api)/spaces/\(seed.space.token)/tasks/", token: theirs), spaceNotFound)
        expectError(try await server.get("\(api)/spaces/\(seed.space.token)/runs/", token: theirs), spaceNotFound)
        expectError(try await server.get("\(api)/spaces/\(seed.space.token)/runs/\(runID)/tasks/", token: theirs), spaceNotFound)
        // Their own space does not reach our run either.
        expectError(
            try await server.get("\(api)/spaces/\(seed.otherSpace.token)/runs/\(runID)/tasks/", token: theirs),
            .notFound("Run not found."))
        let agentTasks = try await server.get("\(api)/agents/sales-bot/tasks/", token: theirs)
        #expect(agentTasks.status == .notFound && agentTasks.text == #"{"message":"Agent not found"}"#)
        expectError(try await server.get("\(api)/agents/sales-bot/executions/", token: theirs), .notFound("Agent not found."))
        let write = try await server.request(
            .post, "\(api)/spaces/\(seed.space.token)/tasks/", authorization: "Token \(theirs)",
            json: #"{"pilot": "sales-bot", "documents": [\#(documents(1))]}"#)
        expectError(write, spaceNotFound)
        // Our key with their agent as pilot: not found in this space's organization.
        let foreignPilot = try await server.request(
            .post, "\(api)/spaces/\(seed.space.token)/tasks/", authorization: "Token \(seed.owner.token)",
            json: #"{"pilot": "their-bot", "documents": [\#(documents(1))]}"#)
        expectError(foreignPilot, .notFound("Agent not found."))

        // A user in both organizations who names the other one in Org-Handle gets 404 too.
        try await server.store.setMembership(userID: seed.owner.user.id, orgID: seed.outsider.organization.id, role: .member)
        server.clock.advance(by: 1)
        try await Task.sleep(for: .milliseconds(300))
        expectError(try await server.get("\(api)/spaces/\(seed.space.token)/", token: seed.owner.token, orgHandle: "other"), spaceNotFound)
        #expect((try await server.get("\(api)/spaces/\(seed.otherSpace.token)/", token: seed.owner.token)).status == .ok)
        #expect((try await server.get("\(api)/spaces/\(seed.space.token)/", token: seed.owner.token, orgHandle: "acme")).status == .ok)
    }
}
