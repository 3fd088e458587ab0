import Foundation
import HTTPTypes
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// The control socket of the `unpod` SDK's `AgentRunner` (issue 17, item 1), over a real WebSocket
/// with the SDK's own frames: who may register, what the runner is told, and when it is let go.
@Suite struct RunnerSocketTests {
    static let path = "/v1/internal/workers"

    /// The SDK 0.5.0's register frame, byte for byte as its runner sends it (agent-runner-protocol.md).
    static func register(agent: String = "sales-bot", transport: String = "dial_out", maxConcurrent: Int = 50) -> String {
        #"{"type":"register","worker_id":"\#(agent)#12556dec","pool":"\#(agent)","capabilities":{"voice_profiles":[],"max_concurrent":\#(maxConcurrent),"agent_id":"\#(agent)","transport":"\#(transport)","kind":"brain","hostname":"dev-box","address":"10.0.0.5","region":null,"deployment":"local"}}"#
    }

    static func connect(_ server: TestServer, authorization: String?, orgHandle: String? = "acme") -> SocketTestClient {
        var headers = HTTPFields()
        if let authorization { headers[.authorization] = authorization }
        if let orgHandle { headers[HTTPField.Name("Org-Handle")!] = orgHandle }
        return SocketTestClient(url: "ws://127.0.0.1:\(server.port)\(path)", headers: headers)
    }

    /// The close code a runner gets for these headers and this first frame (a close frame right
    /// after the upgrade is sometimes lost by the test client under load; tried up to three times).
    static func refusal(
        _ server: TestServer, authorization: String?, orgHandle: String? = "acme", first: String = register()
    ) async throws -> Int? {
        for _ in 0..<3 {
            let runner = connect(server, authorization: authorization, orgHandle: orgHandle)
            try? await runner.send(first)
            let code = await runner.closeCode
            if code != nil || !runner.texts.isEmpty { return code }
        }
        return nil
    }

    static func connectedRunners(_ server: TestServer) async throws -> Int? {
        let text = try await server.get("/metrics").text
        let line = text.split(separator: "\n").first { $0.hasPrefix("unpod_runners_connected ") }
        return line.flatMap { Int(Double($0.split(separator: " ")[1]) ?? -1) }
    }

    @Test(arguments: TestDatabase.all)
    func aRunnerRegistersWithTheSDKsFramesAndLeaves(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let runner = Self.connect(server, authorization: "Token \(seed.owner.token)")
            try await runner.send(Self.register())
            try await runner.waitFor("registered")
            // Exactly what the SDK needs, and nothing it would refuse.
            #expect(runner.texts == [#"{"heartbeat_interval_s":10,"transport_ack":"dial_out","type":"registered"}"#])
            try await runner.send(#"{"type":"heartbeat","active_jobs":0,"worker_id":"sales-bot#12556dec"}"#)
            try await eventually(within: 10) { try await Self.connectedRunners(server) == 1 }
            try await runner.drop()
            try await eventually(within: 10) { try await Self.connectedRunners(server) == 0 }
            #expect(runner.texts.count == 1, "only registered was ever sent")
        }
    }

    @Test(arguments: TestDatabase.all)
    func olderSDKsAuthenticateWithBearerAndTheKeysOrganization(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let restricted = try await server.store.createAPIKey(
                userID: seed.owner.user.id, name: "runner", scopes: .all, organization: seed.owner.organization, expiresAt: nil)
            let runner = Self.connect(server, authorization: "Bearer \(restricted.token)", orgHandle: nil)
            try await runner.send(Self.register())
            try await runner.waitFor("registered")
            // An unrestricted key must say which organization.
            #expect(try await Self.refusal(server, authorization: "Bearer \(seed.owner.token)", orgHandle: nil) == 4001)
        }
    }

    @Test(arguments: TestDatabase.all)
    func refusedRunnersGetACloseCodeTheSDKUnderstands(engine: TestDatabase) async throws {
        try await withServer(engine, seed: WorkspaceTests.seed) { server, seed in
            let store = server.store
            let owner = seed.owner
            // 4001: the credential (the SDK stops and says to check its token and handle).
            #expect(try await Self.refusal(server, authorization: nil) == 4001)
            #expect(try await Self.refusal(server, authorization: "Token unpod_0000000000000000_" + String(repeating: "a", count: 49)) == 4001)
            let readOnly = try await store.createAPIKey(userID: owner.user.id, name: "r", scopes: [.read], organization: nil, expiresAt: nil)
            #expect(try await Self.refusal(server, authorization: "Token \(readOnly.token)") == 4001)
            let member = try await store.createUser(email: "member@example.com", password: "correct horse battery")
            try await store.setMembership(userID: member.id, orgID: owner.organization.id, role: .member)
            let memberKey = try await store.createAPIKey(userID: member.id, name: "m", scopes: .all, organization: nil, expiresAt: nil)
            #expect(try await Self.refusal(server, authorization: "Token \(memberKey.token)") == 4001)
            #expect(try await Self.refusal(server, authorization: "Token \(owner.token)", orgHandle: "other") == 4001)
            // 1008: a policy (no such agent in this organization; a transport this server does not speak).
            #expect(try await Self.refusal(server, authorization: "Token \(owner.token)", first: Self.register(agent: "their-bot")) == 1008)
            #expect(try await Self.refusal(server, authorization: "Token \(owner.token)", first: Self.register(agent: "nobody")) == 1008)
            #expect(try await Self.refusal(server, authorization: "Token \(owner.token)", first: Self.register(transport: "serve")) == 1008)
            // 1002: frames that are not the protocol's (the SDK reconnects with backoff).
            #expect(try await Self.refusal(server, authorization: "Token \(owner.token)", first: "not json") == 1002)
            #expect(try await Self.refusal(server, authorization: "Token \(owner.token)", first: #"{"type":"heartbeat","active_jobs":0}"#) == 1002)
            #expect(try await Self.refusal(server, authorization: "Token \(owner.token)", first: Self.register(maxConcurrent: 0)) == 1002)

            let runner = Self.connect(server, authorization: "Token \(owner.token)")
            try await runner.send(Self.register())
            try await runner.waitFor("registered")
            try await runner.send(#"{"type":"ping"}"#)
            #expect(await runner.closeCode == 1002)
            try await eventually(within: 10) { try await Self.connectedRunners(server) == 0 }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSilentRunnerIsLetGo(engine: TestDatabase) async throws {
        try await withServer(
            engine, configure: { $0.runners = RunnerConfiguration(silenceLimit: .seconds(1), registerTimeout: .seconds(1)) },
            seed: WorkspaceTests.seed
        ) { server, seed in
            let runner = Self.connect(server, authorization: "Token \(seed.owner.token)")
            try await runner.send(Self.register())
            try await runner.waitFor("registered")
            #expect(await runner.closeCode == 4000, "no heartbeat within the limit")
            try await eventually(within: 10) { try await Self.connectedRunners(server) == 0 }
            // A socket that never registers is closed too.
            let mute = Self.connect(server, authorization: "Token \(seed.owner.token)")
            #expect(await mute.closeCode == 4000)
        }
    }
}
