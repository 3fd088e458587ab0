import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// BRG-1…7 under `/telephony/bridges/` (platform-api.md 2.9, decisions.md section 4). Reads: any
/// member; writes: owners and admins with a `write` key (the route group's policy).
struct BridgeController {
    static let notFound = APIError(
        statusCode: 404, message: "Bridge not found.", code: "not_found", errors: "No bridge exists with the provided slug")

    let store: SQLStore
    let addresses: ClientAddressResolver
    let lists: ListCache

    func addRoutes(to group: GuardedRoutes) {
        group.get("telephony/bridges", use: list)
        group.post("telephony/bridges", use: create)
        group.get("telephony/bridges/:slug", use: show)
        group.patch("telephony/bridges/:slug", use: update)
        group.delete("telephony/bridges/:slug", use: delete)
        group.post("telephony/bridges/:slug/connect-provider", use: connect)
        group.post("telephony/bridges/:slug/disconnect-provider", use: disconnect)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let key = ListCache.Key(orgID: organization.id, list: "bridges", query: request.uri.query ?? "")
        return JSONResponse.make(
            body: try await lists.response(for: key) {
                let paging = try Pagination(request.uri.queryParameters)
                let page = try await store.bridges(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
                return JSONResponse.encode(ListEnvelope(count: page.count, message: "Bridges fetched successfully.", data: page.items))
            })
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        guard let bridge = try await store.bridge(try Self.slug(context), orgID: organization.id) else { throw Self.notFound }
        return JSONResponse.make(ObjectEnvelope(message: "Bridge fetched successfully.", data: bridge))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let failed = "Bridge creation failed."
        let body = try await JSONResponse.decode(CreateBridgeRequest.self, from: request, context: context, failure: failed)
        let name = (body.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw APIError.failed(failed, "Name is required (1 to 100 characters)") }
        if let slug = body.slug {
            guard Self.isSlug(slug) else {
                throw APIError.failed(failed, "slug is 1 to 64 lower-case letters, digits and hyphens")
            }
        }
        let description = body.description ?? ""
        guard description.count <= 1000 else { throw APIError.failed(failed, "description is at most 1000 characters") }
        if let region = body.region {
            guard (2...8).contains(region.count), region.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw APIError.failed(failed, "region is a region code such as IN or US")
            }
        }
        do {
            let bridge = try await store.createBridge(
                orgID: organization.id, name: name, slug: body.slug, description: description, region: body.region?.uppercased(),
                actor: try context.auditActor(request, addresses: addresses))
            return JSONResponse.make(
                ObjectEnvelope(statusCode: 201, message: "Bridge created successfully.", data: bridge), status: 201)
        } catch StoreError.duplicate(let detail) {
            throw APIError.conflict(failed, errors: detail)
        }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let slug = try Self.slug(context)
        guard try await store.bridge(slug, orgID: organization.id) != nil else { throw Self.notFound }
        let failed = "Bridge update failed."
        let body = try await JSONResponse.decode(UpdateBridgeRequest.self, from: request, context: context, failure: failed)
        if let newSlug = body.slug, newSlug != slug { throw APIError.failed(failed, "The slug cannot change") }
        let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let name, !(1...100).contains(name.count) { throw APIError.failed(failed, "name must be 1 to 100 characters") }
        if let description = body.description, description.count > 1000 {
            throw APIError.failed(failed, "description is at most 1000 characters")
        }
        var status: Bridge.Status?
        if let text = body.status {
            guard let value = Bridge.Status(rawValue: text.uppercased()) else { throw APIError.failed(failed, "Invalid status value") }
            status = value
        }
        do {
            let bridge = try await store.updateBridge(
                slug, orgID: organization.id, name: name, description: body.description, status: status,
                actor: try context.auditActor(request, addresses: addresses))
            return JSONResponse.make(ObjectEnvelope(message: "Bridge updated successfully.", data: bridge))
        } catch BridgeChangeError.invalid(let detail) {
            throw APIError.failed(failed, detail)
        }
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        do {
            try await store.deleteBridge(try Self.slug(context), orgID: organization.id, actor: try context.auditActor(request, addresses: addresses))
        } catch StoreError.notFound {
            throw Self.notFound
        }
        return JSONResponse.noContent()
    }

    /// BRG-6, either variant: `phone_number` present is variant B; `provider_credential_id` and
    /// `provider_config_id` name the same configuration.
    @Sendable func connect(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let slug = try Self.slug(context)
        guard try await store.bridge(slug, orgID: organization.id) != nil else { throw Self.notFound }
        let failed = "Failed to connect provider."
        let body = try await JSONResponse.decode(BridgeProviderRequest.self, from: request, context: context, failure: failed)
        guard let configurationID = body.providerConfigId ?? body.providerCredentialId else {
            throw APIError.failed(failed, "provider_config_id (or provider_credential_id) is required")
        }
        do {
            let bridge = try await store.connectProvider(
                slug, orgID: organization.id, configurationID: configurationID, phoneNumber: body.phoneNumber,
                actor: try context.auditActor(request, addresses: addresses))
            let message = "Provider connected to bridge successfully."
            return JSONResponse.make(
                ObjectEnvelope(message: message, data: BridgeProviderResult(bridge: bridge, message: message, phoneNumber: body.phoneNumber)))
        } catch BridgeChangeError.invalid(let detail) {
            throw APIError.failed(failed, detail)
        }
    }

    /// BRG-7, either variant.
    @Sendable func disconnect(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let slug = try Self.slug(context)
        guard try await store.bridge(slug, orgID: organization.id) != nil else { throw Self.notFound }
        let failed = "Failed to disconnect provider."
        let body = try await JSONResponse.decode(BridgeProviderRequest.self, from: request, context: context, failure: failed)
        let configurationID = body.providerConfigId ?? body.providerCredentialId
        guard body.phoneNumber != nil || configurationID != nil else {
            throw APIError.failed(failed, "phone_number or provider_credential_id is required")
        }
        do {
            let bridge = try await store.disconnectProvider(
                slug, orgID: organization.id, configurationID: configurationID, phoneNumber: body.phoneNumber,
                actor: try context.auditActor(request, addresses: addresses))
            let message = "Provider disconnected from bridge successfully."
            return JSONResponse.make(
                ObjectEnvelope(message: message, data: BridgeProviderResult(bridge: bridge, message: message, phoneNumber: body.phoneNumber)))
        } catch BridgeChangeError.invalid(let detail) {
            throw APIError.failed(failed, detail)
        }
    }

    /// A malformed slug names no bridge: the same answer as an unknown one.
    private static func slug(_ context: AppRequestContext) throws -> String {
        let slug = try context.parameters.require("slug")
        guard isSlug(slug) else { throw notFound }
        return slug
    }

    static func isSlug(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
    }


}
