import Foundation
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport
@testable import UnpodCLI

extension WebhooksCommand.Create: AsyncParsableCommandWithStore {}
extension WebhooksCommand.List: AsyncParsableCommandWithStore {}
extension WebhooksCommand.Rotate: AsyncParsableCommandWithStore {}
extension WebhooksCommand.Delete: AsyncParsableCommandWithStore {}
extension WebhooksCommand.Attempts: AsyncParsableCommandWithStore {}

/// `unpod webhooks` (issue 18): an endpoint made, listed, rotated and deleted from the command
/// line, with the API's rules (private destinations refused unless allowed) and its audit entries.
@Suite struct WebhooksCommandTests {
    @Test(arguments: TestDatabase.all)
    func endpointsFromTheCommandLine(_ engine: TestDatabase) async throws {
        try await withTestStore(engine) { store, _ in
            let owner = try await Fixture.make(store)
            func run<Command: AsyncParsableCommandWithStore>(_ arguments: [String], as type: Command.Type) async throws -> [String] {
                let output = Lines()
                try await (try UnpodCommand.parseAsRoot(arguments) as! Command).execute(store: store, output: output)
                return output.all
            }
            await #expect(throws: CommandError.self) {
                _ = try await run(["webhooks", "create", "--org", "acme", "--url", "http://127.0.0.1:9000/hook"], as: WebhooksCommand.Create.self)
            }
            #expect(throws: (any Error).self) {
                _ = try UnpodCommand.parseAsRoot(["webhooks", "create", "--org", "acme", "--url", "https://x.example", "--event", "call.exploded"])
            }
            let created = try await run(
                ["webhooks", "create", "--org", "acme", "--url", "http://127.0.0.1:9000/hook", "--event", "call.ended", "--allow-private"],
                as: WebhooksCommand.Create.self)
            let secret = try #require(created.last)
            #expect(WebhookSecret(secret) != nil, "the last line is the secret alone")
            let endpoints = try await store.webhookEndpoints(orgID: owner.organization.id)
            let endpoint = try #require(endpoints.first)
            #expect(endpoints.count == 1 && endpoint.events == [.callEnded] && endpoint.url == "http://127.0.0.1:9000/hook")
            let listed = try await run(["webhooks", "list", "--org", "acme"], as: WebhooksCommand.List.self)
            #expect(listed == ["\(endpoint.endpointID)  http://127.0.0.1:9000/hook  call.ended  enabled"])
            #expect(!listed.joined().contains(secret))
            let rotated = try await run(["webhooks", "rotate", "--org", "acme", endpoint.endpointID], as: WebhooksCommand.Rotate.self)
            #expect(rotated.last != secret && WebhookSecret(rotated.last ?? "") != nil)
            #expect(try await store.webhookEndpoint(orgID: owner.organization.id, endpointID: endpoint.endpointID)?.previousSecretUntil != nil)
            #expect(try await run(["webhooks", "attempts", "--org", "acme", endpoint.endpointID], as: WebhooksCommand.Attempts.self).isEmpty)
            _ = try await run(["webhooks", "delete", "--org", "acme", endpoint.endpointID], as: WebhooksCommand.Delete.self)
            #expect(try await store.webhookEndpoints(orgID: owner.organization.id).isEmpty)
            await #expect(throws: CommandError.self) {
                _ = try await run(["webhooks", "delete", "--org", "acme", endpoint.endpointID], as: WebhooksCommand.Delete.self)
            }
            let actions = try await store.auditEvents(AuditFilter(orgID: owner.organization.id), page: 1, pageSize: 10).items.map(\.action)
            #expect(actions.prefix(3) == ["webhook_endpoint.deleted", "webhook_endpoint.rotated", "webhook_endpoint.created"])
        }
    }
}
