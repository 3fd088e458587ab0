import Foundation
import HTTPTypes
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// Every row of decisions.md section 1's error table, over real HTTP.
@Suite struct ErrorTableTests {
    @Test(arguments: TestDatabase.all)
    func headerShapes(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            expectError(try await server.request(.get, Paths.organizations), .notAuthenticated)
            expectError(try await server.request(.get, Paths.organizations, authorization: "Basic dXNlcjpwYXNz"), .notAuthenticated)
            expectError(try await server.request(.get, Paths.organizations, authorization: "Token"), .headerWithoutCredentials)
            expectError(try await server.request(.get, Paths.organizations, authorization: "Token  "), .headerWithoutCredentials)
            expectError(
                try await server.request(.get, Paths.organizations, authorization: "Token \(fixture.token) extra"),
                .headerWithSpaces)
            expectError(try await server.request(.get, Paths.organizations, authorization: "Token nonsense"), .invalidToken)
            // A header sent twice reads as its values joined (as DRF behind a WSGI server sees it):
            // two Authorization headers are a header with spaces, never the first one alone.
            var twice = HTTPFields()
            twice.append(HTTPField(name: .authorization, value: "Token \(fixture.token)"))
            twice.append(HTTPField(name: .authorization, value: "Token \(fixture.token)"))
            expectError(try await server.request(.get, Paths.organizations, headers: twice), .headerWithSpaces)
            expectError(try await server.request(.get, Paths.organizations, authorization: "JWT a.b.c"), .invalidToken)
            // The scheme word is matched case-insensitively; Bearer carries the same key.
            for scheme in ["Token", "token", "TOKEN", "Bearer", "bearer"] {
                let response = try await server.request(.get, Paths.organizations, authorization: "\(scheme) \(fixture.token)")
                #expect(response.status == .ok, "scheme \(scheme)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func unknownBadChecksumAndRevokedTokensAreAllInvalid(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            let unknown = APIKeyToken.generate().text
            expectError(try await server.get(Paths.organizations, token: unknown), .invalidToken)
            var broken = fixture.token
            broken.removeLast()
            broken.append(fixture.token.last == "A" ? "B" : "A")
            expectError(try await server.get(Paths.organizations, token: broken), .invalidToken)
            #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok)
            try await server.store.revokeAPIKey(fixture.key.keyId, of: .anyone)
            // Revoked on the command line (another process, in effect): refused once the poll sees it.
            try await eventually { try await server.get(Paths.organizations, token: fixture.token).status == .unauthorized }
            expectError(try await server.get(Paths.organizations, token: fixture.token), .invalidToken)
        }
    }

    @Test(arguments: TestDatabase.all)
    func expiredKeysAreForbidden(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store, expiresAt: server.clock.now().addingTimeInterval(60))
            #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok)
            server.clock.advance(by: 61)
            expectError(try await server.get(Paths.organizations, token: fixture.token), .tokenExpired)
        }
    }

    @Test(arguments: TestDatabase.all)
    func deactivatedUsers(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok)
            try await server.store.setUserActive(fixture.user.id, false)
            try await eventually { try await server.get(Paths.organizations, token: fixture.token).status == .unauthorized }
            expectError(try await server.get(Paths.organizations, token: fixture.token), .userInactive)
        }
    }

    @Test(arguments: TestDatabase.all)
    func organizationAndProductHeaders(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            let stranger = try await Fixture.make(server.store, email: "s@example.com", handle: "strangers")
            expectError(try await server.get(Paths.callLogs, token: fixture.token), .orgHandleRequired)
            expectError(try await server.get(Paths.callLogs, token: fixture.token, orgHandle: ""), .orgHandleRequired)
            let unknown = try await server.get(Paths.callLogs, token: fixture.token, orgHandle: "no-such-org")
            let notMine = try await server.get(Paths.callLogs, token: fixture.token, orgHandle: stranger.organization.domainHandle)
            expectError(unknown, .invalidOrganization)
            expectError(notMine, .invalidOrganization)
            // No existence oracle: the two answers are byte for byte the same.
            #expect(unknown.text == notMine.text)
            #expect(try await server.get(Paths.callLogs, token: fixture.token, orgHandle: "acme").status == .ok)
            var sentTwice = HTTPFields()
            sentTwice.append(HTTPField(name: HTTPField.Name("Org-Handle")!, value: "acme"))
            sentTwice.append(HTTPField(name: HTTPField.Name("Org-Handle")!, value: "acme"))
            expectError(try await server.get(Paths.callLogs, token: fixture.token, headers: sentTwice), .invalidOrganization)

            let product = HTTPField.Name("Product-ID")!
            expectError(
                try await server.get(Paths.callLogs, token: fixture.token, orgHandle: "acme", headers: [product: "nope"]),
                .invalidProduct)
            #expect(
                try await server.get(Paths.callLogs, token: fixture.token, orgHandle: "acme", headers: [product: "unpod.ai"])
                    .status == .ok)
            // Authentication comes first, then headers, then the organization.
            expectError(try await server.get(Paths.callLogs, token: APIKeyToken.generate().text), .invalidToken)
            expectError(
                try await server.get(Paths.callLogs, token: fixture.token, orgHandle: "nope", headers: [product: "nope"]),
                .invalidProduct)
        }
    }

    @Test(arguments: TestDatabase.all)
    func scopeTooLow(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store, scopes: .read)
            expectError(
                try await server.request(.post, "/api/v2/platform/api-keys/", authorization: "Token \(fixture.token)", json: "{}"),
                .permissionDenied)
            expectError(try await server.get("/api/v2/platform/api-keys/", token: fixture.token), .permissionDenied)
            #expect(try await server.get(Paths.callLogs, token: fixture.token, orgHandle: "acme").status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func throttled(_ engine: TestDatabase) async throws {
        try await withServer(engine, rateLimit: "3/min") { server in
            let fixture = try await Fixture.make(server.store)
            for _ in 0..<3 {
                #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok)
            }
            let limited = try await server.get(Paths.organizations, token: fixture.token)
            expectError(limited, .throttled(seconds: 20))
            #expect(limited.headers[.retryAfter] == "20")
            server.clock.advance(by: 20)
            #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok)
        }
    }
}

/// Polls `condition` every 20 ms for up to `seconds`; fails the test if it never holds.
func eventually(
    within seconds: Double = 2, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("condition did not hold within \(seconds) s", sourceLocation: sourceLocation)
}
