import UnpodCore
import UnpodPersistence

/// What `unpod serve` creates on an empty database, shown to the operator once.
public struct FirstStart: Sendable {
    public let email: String
    public let password: String
    public let organization: OrganizationSummary
}

public enum Bootstrap {
    public static let adminEmail = "admin@localhost"
    public static let organizationHandle = "default"

    /// Creates the first admin user (random password) and organization when there are no users yet.
    /// Nil when the database already has users, including when another node won the race.
    public static func firstStartIfEmpty(store: SQLStore) async throws -> FirstStart? {
        guard try await store.userCount() == 0 else { return nil }
        let password = Password.random()
        do {
            let user = try await store.createUser(email: adminEmail, password: password)
            let organization = try await store.createOrganization(
                name: "Default organization", handle: organizationHandle, ownerID: user.id)
            return FirstStart(email: user.email, password: password, organization: organization)
        } catch StoreError.duplicate {
            return nil
        }
    }
}

/// Random passwords for first start and `users create` without `--password-stdin`.
public enum Password {
    private static let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// 20 characters from 57 (about 116 bits), without look-alikes such as l, 1, O and 0.
    public static func random(length: Int = 20) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
