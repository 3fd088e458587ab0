import Foundation
import Hummingbird
import Logging
import UnpodCore
import UnpodPersistence

/// The key lifecycle over the API: list, create, delete, rotate (`/api-keys/`).
///
/// Every route needs a key with `admin` scope (checked by the policy). A key never makes a key
/// with more scopes, a wider organization or a later expiry than itself.
struct APIKeyController {
    static let defaultGrace: TimeInterval = 24 * 3600
    static let maximumGrace: TimeInterval = 30 * 86_400

    let store: SQLStore
    let clock: any WallClock
    let addresses: ClientAddressResolver
    /// Clears this node's auth cache, so a change is seen on the very next request.
    let authChanged: @Sendable () -> Void

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
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
        let name = (body.name ?? "API key").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else {
            throw APIError.invalidParameters("name must be 1 to 100 characters")
        }
        let scopes = body.scopes.map { ScopeSet($0) } ?? caller.scopes
        guard !scopes.isEmpty else { throw APIError.invalidParameters("scopes must name at least one scope") }
        guard caller.scopes.isSuperset(of: scopes) else { throw APIError.permissionDenied }

        let organization: OrganizationSummary?
        if let handle = body.orgHandle {
            guard let membership = caller.membership(handle: handle) else { throw APIError.invalidOrganization }
            organization = membership.organization
        } else if let restricted = caller.restrictedOrgID {
            guard let membership = caller.memberships.first(where: { $0.organization.id == restricted }) else {
                throw APIError.invalidOrganization
            }
            organization = membership.organization
        } else {
            organization = nil
        }

        let now = clock.now()
        var expiresAt: Date?
        switch (body.expiresAt, body.expiresIn) {
        case (.some, .some):
            throw APIError.invalidParameters("give expires_at or expires_in, not both")
        case (let date?, nil):
            guard date > now else { throw APIError.invalidParameters("expires_at must be in the future") }
            guard date.timeIntervalSince(now) <= DurationText.maximumSeconds else {
                throw APIError.invalidParameters("expires_at may be at most 100 years away")
            }
            expiresAt = date
        case (nil, let duration?):
            expiresAt = now.addingTimeInterval(duration.seconds)
        case (nil, nil):
            expiresAt = nil
        }
        expiresAt = try Self.capped(expiresAt, by: caller.expiresAt)

        let created = try await store.createAPIKey(
            userID: caller.userID, name: name, scopes: scopes, organization: organization, expiresAt: expiresAt,
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
        let grace = body.gracePeriod?.seconds ?? Self.defaultGrace
        guard grace <= Self.maximumGrace else {
            throw APIError.invalidParameters("grace_period may be at most 30 days")
        }
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

    /// An expiring key may not make a key that outlives it.
    static func capped(_ expiry: Date?, by limit: Date?) throws -> Date? {
        guard let limit else { return expiry }
        guard let expiry else { return limit }
        return min(expiry, limit)
    }
}
