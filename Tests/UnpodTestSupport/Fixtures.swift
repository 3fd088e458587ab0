import Foundation
import UnpodCore
import UnpodPersistence

/// A user in one organization with one all-scope key: the starting point of most tests.
public struct Fixture: Sendable {
    public let user: User
    public let organization: OrganizationSummary
    public let key: CreatedAPIKey

    public var token: String { key.token }

    public static func make(
        _ store: SQLStore, email: String = "owner@example.com", handle: String = "acme", scopes: ScopeSet = .all,
        restricted: Bool = false, expiresAt: Date? = nil
    ) async throws -> Fixture {
        let user = try await store.createUser(email: email, password: "correct horse battery")
        let organization = try await store.createOrganization(name: handle.capitalized, handle: handle, ownerID: user.id)
        let key = try await store.createAPIKey(
            userID: user.id, name: "fixture", scopes: scopes, organization: restricted ? organization : nil,
            expiresAt: expiresAt)
        return Fixture(user: user, organization: organization, key: key)
    }
}
