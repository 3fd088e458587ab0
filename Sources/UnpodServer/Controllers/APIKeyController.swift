import Foundation
import Hummingbird
import Logging
import UnpodCore
import UnpodPersistence

/// The key lifecycle over the API: list, create, delete, rotate (`/api-keys/`).
///
/// Every route needs a key with `admin` scope (checked by the policy). A key never makes a key
/// with more scopes, a wider organization or a later expiry than itself (``KeyGrantor``).
struct APIKeyController {
    let store: SQLStore
    let clock: any WallClock
    let addresses: ClientAddressResolver
    /// Clears this node's auth cache, so a change is seen on the very next request.
    let authChanged: @Sendable () -> Void

    func addRoutes(to group: GuardedRoutes) {
        group.get("api-keys", use: list)
        group.post("api-keys", use: create)
        group.delete("api-keys/:key_id", use: delete)
        group.post("api-keys/:key_id/rotate", use: rotate)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let keys = try await store.apiKeys(of: try owner(context))
        return JSONResponse.make(ListEnvelope(count: keys.count, message: "API keys fetched successfully", data: keys))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let body = try await JSONResponse.decode(CreateAPIKeyRequest.self, from: request, context: context)
        let key = try KeyGrantor(caller).newKey(body, now: clock.now())
        let created = try await store.createAPIKey(
            userID: caller.userID, name: key.name, scopes: key.scopes, organization: key.organization,
            expiresAt: key.expiresAt,
            actor: try context.auditActor(request, addresses: addresses))
        context.logger.info("API key created", metadata: ["key_id": "\(created.keyId)", "by": "\(caller.keyID)"])
        return JSONResponse.make(
            ObjectEnvelope(statusCode: 201, message: "API key created successfully.", data: created), status: 201)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let keyID = try Self.keyID(context)
        try await store.revokeAPIKey(
            keyID, of: try owner(context),
            actor: try context.auditActor(request, addresses: addresses))
        authChanged()
        context.logger.info("API key revoked", metadata: ["key_id": "\(keyID)"])
        return JSONResponse.noContent()
    }

    @Sendable func rotate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let keyID = try Self.keyID(context)
        let owner = try owner(context)
        guard try await store.apiKey(keyID, of: owner) != nil else { throw APIError.notFound("API key not found.") }
        let body = try await JSONResponse.decode(RotateAPIKeyRequest.self, from: request, context: context)
        let grace = try KeyGrantor.grace(body.gracePeriod)
        let created = try await store.rotateAPIKey(
            keyID, of: owner, grace: grace, expiresIn: body.expiresIn?.seconds, notAfter: caller.expiresAt,
            actor: try context.auditActor(request, addresses: addresses))
        authChanged()
        context.logger.info("API key rotated", metadata: ["key_id": "\(keyID)", "new_key_id": "\(created.keyId)"])
        return JSONResponse.make(
            ObjectEnvelope(statusCode: 201, message: "API key rotated successfully.", data: created), status: 201)
    }

    private func owner(_ context: AppRequestContext) throws -> SQLStore.KeyOwner {
        let caller = try context.requireCaller()
        return .user(caller.userID, restrictedTo: caller.restrictedOrgID)
    }

    private static func keyID(_ context: AppRequestContext) throws -> String {
        let keyID = try context.parameters.require("key_id")
        // A malformed id names no key: the same answer as an unknown one.
        guard APIKeyToken.isWellFormedKeyID(keyID) else { throw APIError.notFound("API key not found.") }
        return keyID
    }
}
