import Foundation
import Hummingbird
import Logging
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// The key lifecycle over the API: list, create, delete, rotate (`/api-keys/`). Every operation
/// needs the `admin` scope (``OperationAccess``). A key never makes a key with more scopes, a
/// wider organization or a later expiry than itself (``KeyGrantor``).
extension APIHandlers {
    func listAPIKeys(_ input: Operations.ListAPIKeys.Input) async throws -> Operations.ListAPIKeys.Output {
        let keys = try await store.apiKeys(of: try Self.keyOwner())
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: keys.count, statusCode: ._200, message: "API keys fetched successfully",
                        data: keys.map(Components.Schemas.APIKey.init)))))
    }

    func createAPIKey(_ input: Operations.CreateAPIKey.Input) async throws -> Operations.CreateAPIKey.Output {
        let context = try APIRequestScope.current()
        let caller = try context.requireCaller()
        let body: Components.Schemas.CreateAPIKeyRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let request = CreateAPIKeyRequest(
            name: body?.name, scopes: body?.scopes, orgHandle: body?.orgHandle, expiresAt: body?.expiresAt,
            expiresIn: try body?.expiresIn.map { try DurationValue($0, field: "expires_in") })
        let key = try KeyGrantor(caller).newKey(request, now: clock.now())
        let created = try await store.createAPIKey(
            userID: caller.userID, name: key.name, scopes: key.scopes, organization: key.organization,
            expiresAt: key.expiresAt, actor: try auditActor())
        context.logger.info("API key created", metadata: ["key_id": "\(created.keyId)", "by": "\(caller.keyID)"])
        return .created(
            .init(
                body: .json(
                    .init(statusCode: ._201, message: "API key created successfully.", data: .init(created)))))
    }

    func deleteAPIKey(_ input: Operations.DeleteAPIKey.Input) async throws -> Operations.DeleteAPIKey.Output {
        let keyID = try Self.keyID(input.path.keyId)
        try await store.revokeAPIKey(keyID, of: try Self.keyOwner(), actor: try auditActor())
        authChanged()
        try APIRequestScope.current().logger.info("API key revoked", metadata: ["key_id": "\(keyID)"])
        return .noContent(.init())
    }

    func rotateAPIKey(_ input: Operations.RotateAPIKey.Input) async throws -> Operations.RotateAPIKey.Output {
        let context = try APIRequestScope.current()
        let caller = try context.requireCaller()
        let keyID = try Self.keyID(input.path.keyId)
        let owner = try Self.keyOwner()
        guard try await store.apiKey(keyID, of: owner) != nil else { throw APIError.notFound("API key not found.") }
        let body: Components.Schemas.RotateAPIKeyRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let grace = try KeyGrantor.grace(try body?.gracePeriod.map { try DurationValue($0, field: "grace_period") })
        let expiresIn = try body?.expiresIn.map { try DurationValue($0, field: "expires_in") }
        let created = try await store.rotateAPIKey(
            keyID, of: owner, grace: grace, expiresIn: expiresIn?.seconds, notAfter: caller.expiresAt,
            actor: try auditActor())
        authChanged()
        context.logger.info("API key rotated", metadata: ["key_id": "\(keyID)", "new_key_id": "\(created.keyId)"])
        return .created(
            .init(
                body: .json(
                    .init(statusCode: ._201, message: "API key rotated successfully.", data: .init(created)))))
    }

    /// Whose keys the caller manages: its user's, within its own organization restriction.
    private static func keyOwner() throws -> SQLStore.KeyOwner {
        let caller = try APIRequestScope.caller()
        return .user(caller.userID, restrictedTo: caller.restrictedOrgID)
    }

    /// A malformed id names no key: the same answer as an unknown one.
    private static func keyID(_ keyID: String) throws -> String {
        guard APIKeyToken.isWellFormedKeyID(keyID) else { throw APIError.notFound("API key not found.") }
        return keyID
    }
}

extension DurationValue {
    /// A duration from the wire (seconds, or text such as `30d`), at most 100 years.
    init(_ value: Components.Schemas.Duration, field: String) throws {
        switch value {
        case .case1(let number):
            guard number > 0, TimeInterval(number) <= DurationText.maximumSeconds else {
                throw APIError.invalidParameters("\(field): must be a positive number of seconds, at most 100 years")
            }
            self.init(seconds: TimeInterval(number))
        case .case2(let text):
            guard let seconds = DurationText.seconds(text) else {
                throw APIError.invalidParameters("\(field): a duration is seconds or text such as 30d, 24h, 15m")
            }
            self.init(seconds: seconds)
        }
    }
}

extension Components.Schemas.APIKey {
    init(_ key: APIKeySummary) {
        self.init(
            keyId: key.keyId, name: key.name, prefix: key.prefix, scopes: key.scopes, orgHandle: .init(key.orgHandle),
            createdAt: key.createdAt, expiresAt: .init(key.expiresAt), lastUsedAt: .init(key.lastUsedAt),
            rotatedAt: .init(key.rotatedAt), graceUntil: .init(key.graceUntil), status: key.status)
    }
}

extension Components.Schemas.CreatedAPIKey {
    init(_ key: UnpodCore.CreatedAPIKey) {
        self.init(
            keyId: key.keyId, token: key.token, name: key.name, scopes: key.scopes, orgHandle: .init(key.orgHandle),
            createdAt: key.createdAt, expiresAt: .init(key.expiresAt), replacesKeyId: key.replacesKeyId,
            previousKeyGraceUntil: key.previousKeyGraceUntil)
    }
}
