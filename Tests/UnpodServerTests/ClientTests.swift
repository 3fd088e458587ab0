import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import OpenAPIAsyncHTTPClient
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

@Suite struct ClientTests {
    /// The SDK throws the server's own error, on a generated call and on a hand-built one alike,
    /// with `Retry-After` read into the error.
    @Test(arguments: TestDatabase.all)
    func theSDKThrowsTheServersErrorWithItsRetryAfter(_ engine: TestDatabase) async throws {
        try await withServer(engine, rateLimit: "2/min") { server in
            let admin = try await Fixture.make(server.store)
            let client = UnpodClient(baseURL: "http://127.0.0.1:\(server.port)", token: admin.token, orgHandle: "acme")
            _ = try await client.organizations()
            _ = try await client.callLogs()
            do {
                _ = try await client.organizations()
                Issue.record("a third call within the minute was not throttled")
            } catch let error as APIError {
                #expect(error == .throttled(seconds: 30))
                #expect(error.retryAfter == 30)
            }
            await #expect(throws: APIError.throttled(seconds: 30)) { try await client.callLogs() }
        }
    }

    @Test(arguments: TestDatabase.all)
    func theSDKManagesKeysAndReadsOverRealHTTP(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            let client = UnpodClient(baseURL: "http://127.0.0.1:\(server.port)", token: admin.token, orgHandle: "acme")
            #expect(try await client.organizations().map(\.domainHandle) == ["acme"])
            #expect(try await client.callLogs().count == 0)

            let made = try await client.createAPIKey(name: "sdk", scopes: [.read], orgHandle: "acme", expiresIn: 3600)
            #expect(made.orgHandle.value == "acme" && made.expiresAt.value == server.clock.now().addingTimeInterval(3600))
            #expect(try await client.apiKeys().map(\.keyId).contains(made.keyId))

            let reader = UnpodClient(baseURL: client.baseURL, token: made.token, orgHandle: "acme")
            #expect(try await reader.callLogs(pageSize: 5).data.isEmpty)
            await #expect(throws: APIError.permissionDenied) { try await reader.apiKeys() }
            await #expect(throws: APIError.invalidOrganization) {
                try await reader.inOrganization("elsewhere").callLogs()
            }

            let rotated = try await client.rotateAPIKey(made.keyId, gracePeriod: 60)
            #expect(rotated.replacesKeyId == made.keyId)
            try await client.deleteAPIKey(rotated.keyId)
            await #expect(throws: APIError.invalidToken) {
                try await UnpodClient(baseURL: client.baseURL, token: rotated.token).organizations()
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aThousandAuthenticatedRequestsOverFiftyConnectionsAllSucceed(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let admin = try await Fixture.make(server.store)
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 50
            let http = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
            let client = UnpodClient(
                baseURL: "http://127.0.0.1:\(server.port)", token: admin.token, transport: AsyncHTTPClientTransport(configuration: .init(client: http)))
            let succeeded = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        var ok = 0
                        for _ in 0..<20 where try await client.organizations().count == 1 { ok += 1 }
                        return ok
                    }
                }
                return try await group.reduce(0, +)
            }
            try await http.shutdown()
            #expect(succeeded == 1000)
        }
    }
}
