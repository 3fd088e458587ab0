import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import UnpodCore
import UnpodPersistence
import UnpodServer
import UnpodTestSupport

/// The Python client's Bearer mode sends no `Org-Handle` (issue 18, item 4): a key restricted to
/// one organization names it; an unrestricted key still gets 400 `org_handle_required`, and the
/// `Token` scheme keeps requiring the header as DRF did.
@Suite struct BearerOrganizationTests {
    struct Keys: Sendable {
        let restricted: String
        let unrestricted: String
    }

    static func seed(_ store: SQLStore) async throws -> Keys {
        let owner = try await Fixture.make(store, restricted: true)
        let unrestricted = try await store.createAPIKey(
            userID: owner.user.id, name: "everywhere", scopes: .all, organization: nil, expiresAt: nil)
        return Keys(restricted: owner.token, unrestricted: unrestricted.token)
    }

    @Test(arguments: TestDatabase.all)
    func aRestrictedKeyNamesTheOrganizationInBearerMode(engine: TestDatabase) async throws {
        try await withServer(engine, seed: Self.seed) { server, keys in
            let path = "/api/v2/platform/speech/v1/pipes"
            let bearer = try await server.request(.get, path, authorization: "Bearer \(keys.restricted)")
            #expect(bearer.status == .ok, "\(bearer.text)")
            expectError(try await server.request(.get, path, authorization: "Bearer \(keys.unrestricted)"), .orgHandleRequired)
            expectError(try await server.request(.get, path, authorization: "Token \(keys.restricted)"), .orgHandleRequired)
            // A header that names another organization is still refused.
            expectError(try await server.request(.get, path, authorization: "Bearer \(keys.restricted)", orgHandle: "other"), .invalidOrganization)
        }
    }
}
