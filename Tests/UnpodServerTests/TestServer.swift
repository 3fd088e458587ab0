import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// The routes the server tests call.
enum Paths {
    static let organizations = "/api/v2/platform/organizations/"
    static let callLogs = "/api/v2/platform/call-logs/"
    static let keys = "/api/v2/platform/api-keys/"
}

/// A live server (real socket, port 0) on a fresh database, with a hand-moved clock and captured logs.
struct TestServer: Sendable {
    let client: any TestClientProtocol
    let store: SQLStore
    let database: TestDatabaseInstance
    let clock: ManualClock
    let logs: LogCapture

    var port: Int { client.port ?? 0 }

    func request(
        _ method: HTTPRequest.Method, _ path: String, authorization: String? = nil, orgHandle: String? = nil,
        headers extra: HTTPFields = [:], json: String? = nil
    ) async throws -> TestResponse {
        var headers = extra
        if let authorization { headers[.authorization] = authorization }
        if let orgHandle { headers[HTTPField.Name("Org-Handle")!] = orgHandle }
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    func get(_ path: String, token: String? = nil, orgHandle: String? = nil, headers: HTTPFields = [:]) async throws
        -> TestResponse
    {
        try await request(.get, path, authorization: token.map { "Token \($0)" }, orgHandle: orgHandle, headers: headers)
    }
}

/// Runs `body` against a fresh server; `credentials` replaces the store the auth check reads on a miss.
func withServer(
    _ engine: TestDatabase, rateLimit: String? = nil,
    credentials: (@Sendable (SQLStore) -> any CredentialStore)? = nil,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestServer) async throws -> Void
) async throws {
    try await withServer(engine, rateLimit: rateLimit, credentials: credentials, configure: configure, seed: { _ in }) {
        server, _ in
        try await body(server)
    }
}

/// The same, with data written by `seed` before the server starts (so the server never sees it change).
func withServer<Seed: Sendable>(
    _ engine: TestDatabase, rateLimit: String? = nil,
    credentials: (@Sendable (SQLStore) -> any CredentialStore)? = nil,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    seed: (SQLStore) async throws -> Seed,
    _ body: @Sendable (TestServer, Seed) async throws -> Void
) async throws {
    let clock = ManualClock()
    let logs = LogCapture()
    try await withTestStore(engine, clock: clock) { store, database in
        let seeded = try await seed(store)
        var configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, clock: clock, authEpochPollInterval: .milliseconds(100),
            lastUsedFlushInterval: .milliseconds(200), logLevel: .trace, rateLimit: rateLimit)
        // Many servers run at once here: webhook tests poll faster (WebhookDeliveryTests.allowPrivate);
        // the others need not add a query every 200 ms each to the machine's load.
        configuration.webhooks.pollInterval = .seconds(1)
        configure(&configuration)
        let app = try await buildApplication(
            configuration: configuration, store: store, credentials: credentials?(store), logger: logs.logger())
        try await app.test(.live) { client in
            try await body(
                TestServer(client: client, store: store, database: database, clock: clock, logs: logs), seeded)
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    var error: APIError? { try? JSONDecoder.unpod().decode(APIError.self, from: Data(text.utf8)) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder.unpod().decode(T.self, from: Data(text.utf8))
    }
}

/// Asserts an error answer: status, the exact body, and `WWW-Authenticate: Token` on every 401.
func expectError(
    _ response: TestResponse, _ expected: APIError, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status.code == expected.statusCode, sourceLocation: sourceLocation)
    #expect(response.error == expected, "body: \(response.text)", sourceLocation: sourceLocation)
    let keys = Set(response.json.keys)
    #expect(keys == ["status_code", "message", "code"], sourceLocation: sourceLocation)
    if expected.statusCode == 401 {
        #expect(response.headers[.wwwAuthenticate] == "Token", sourceLocation: sourceLocation)
    } else {
        #expect(response.headers[.wwwAuthenticate] == nil, sourceLocation: sourceLocation)
    }
}
