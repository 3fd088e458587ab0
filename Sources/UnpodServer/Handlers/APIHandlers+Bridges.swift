import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// BRG-1…7 under `/telephony/bridges/` (platform-api.md 2.9, decisions.md section 4). Reads: any
/// member; writes: owners and admins with a `write` key (``OperationAccess``). The list is kept in
/// memory per organization and query (``CachedAnswerMiddleware``).
extension APIHandlers {
    static let bridgeNotFound = APIError(
        statusCode: 404, message: "Bridge not found.", code: "not_found", errors: "No bridge exists with the provided slug")

    func listBridges(_ input: Operations.ListBridges.Input) async throws -> Operations.ListBridges.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.bridges(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Bridges fetched successfully.",
                        data: page.items.map(Components.Schemas.Bridge.init)))))
    }

    func getBridge(_ input: Operations.GetBridge.Input) async throws -> Operations.GetBridge.Output {
        let bridge = try await existingBridge(input.path.slug)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Bridge fetched successfully.", data: .init(bridge)))))
    }

    func createBridge(_ input: Operations.CreateBridge.Input) async throws -> Operations.CreateBridge.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let failed = "Bridge creation failed."
        let body: Components.Schemas.CreateBridgeRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let name = (body?.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw APIError.failed(failed, "Name is required (1 to 100 characters)") }
        if let slug = body?.slug, !Self.isSlug(slug) {
            throw APIError.failed(failed, "slug is 1 to 64 lower-case letters, digits and hyphens")
        }
        let description = body?.description ?? ""
        guard description.count <= 1000 else { throw APIError.failed(failed, "description is at most 1000 characters") }
        if let region = body?.region {
            guard (2...8).contains(region.count), region.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw APIError.failed(failed, "region is a region code such as IN or US")
            }
        }
        do {
            let bridge = try await store.createBridge(
                orgID: organization.id, name: name, slug: body?.slug, description: description,
                region: body?.region?.uppercased(), actor: try auditActor())
            return .created(
                .init(body: .json(.init(statusCode: ._201, message: "Bridge created successfully.", data: .init(bridge)))))
        } catch StoreError.duplicate(let detail) {
            throw APIError.conflict(failed, errors: detail)
        }
    }

    func updateBridge(_ input: Operations.UpdateBridge.Input) async throws -> Operations.UpdateBridge.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let slug = input.path.slug
        _ = try await existingBridge(slug)
        let failed = "Bridge update failed."
        let body: Components.Schemas.UpdateBridgeRequest? = switch input.body { case .json(let body): body; case nil: nil }
        if let newSlug = body?.slug, newSlug != slug { throw APIError.failed(failed, "The slug cannot change") }
        let name = body?.name?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let name, !(1...100).contains(name.count) { throw APIError.failed(failed, "name must be 1 to 100 characters") }
        if let description = body?.description, description.count > 1000 {
            throw APIError.failed(failed, "description is at most 1000 characters")
        }
        var status: Bridge.Status?
        if let text = body?.status {
            guard let value = Bridge.Status(rawValue: text.uppercased()) else { throw APIError.failed(failed, "Invalid status value") }
            status = value
        }
        do {
            let bridge = try await store.updateBridge(
                slug, orgID: organization.id, name: name, description: body?.description, status: status,
                actor: try auditActor())
            return .ok(.init(body: .json(.init(statusCode: ._200, message: "Bridge updated successfully.", data: .init(bridge)))))
        } catch BridgeChangeError.invalid(let detail) {
            throw APIError.failed(failed, detail)
        }
    }

    func deleteBridge(_ input: Operations.DeleteBridge.Input) async throws -> Operations.DeleteBridge.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard Self.isSlug(input.path.slug) else { throw Self.bridgeNotFound }
        do {
            try await store.deleteBridge(input.path.slug, orgID: organization.id, actor: try auditActor())
        } catch StoreError.notFound {
            throw Self.bridgeNotFound
        }
        return .noContent(.init())
    }

    /// BRG-6, either variant: `phone_number` present is variant B; `provider_credential_id` and
    /// `provider_config_id` name the same configuration.
    func connectBridgeProvider(_ input: Operations.ConnectBridgeProvider.Input) async throws
        -> Operations.ConnectBridgeProvider.Output
    {
        let body: Components.Schemas.BridgeProviderRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let result = try await changeProvider(
            input.path.slug, body, failed: "Failed to connect provider.", done: "Provider connected to bridge successfully."
        ) { store, slug, orgID, actor in
            guard let configurationID = body?.providerConfigId ?? body?.providerCredentialId else {
                throw APIError.failed("Failed to connect provider.", "provider_config_id (or provider_credential_id) is required")
            }
            return try await store.connectProvider(
                slug, orgID: orgID, configurationID: configurationID, phoneNumber: body?.phoneNumber, actor: actor)
        }
        return .ok(.init(body: .json(result)))
    }

    /// BRG-7, either variant.
    func disconnectBridgeProvider(_ input: Operations.DisconnectBridgeProvider.Input) async throws
        -> Operations.DisconnectBridgeProvider.Output
    {
        let body: Components.Schemas.BridgeProviderRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let result = try await changeProvider(
            input.path.slug, body, failed: "Failed to disconnect provider.",
            done: "Provider disconnected from bridge successfully."
        ) { store, slug, orgID, actor in
            let configurationID = body?.providerConfigId ?? body?.providerCredentialId
            guard body?.phoneNumber != nil || configurationID != nil else {
                throw APIError.failed("Failed to disconnect provider.", "phone_number or provider_credential_id is required")
            }
            return try await store.disconnectProvider(
                slug, orgID: orgID, configurationID: configurationID, phoneNumber: body?.phoneNumber, actor: actor)
        }
        return .ok(.init(body: .json(result)))
    }

    /// BRG-6 and BRG-7's shared steps: the bridge must exist, the change is made, and the answer
    /// carries both variants' keys.
    private func changeProvider(
        _ slug: String, _ body: Components.Schemas.BridgeProviderRequest?, failed: String, done: String,
        change: (SQLStore, String, Int, AuditActor) async throws -> Bridge
    ) async throws -> Components.Schemas.BridgeProviderEnvelope {
        let organization = try APIRequestScope.current().requireMembership().organization
        _ = try await existingBridge(slug)
        do {
            let bridge = try await change(store, slug, organization.id, try auditActor())
            return .init(
                statusCode: ._200, message: done,
                data: .init(
                    id: bridge.id, name: bridge.name, slug: bridge.slug,
                    providerCredential: .init(bridge.providerCredential.map(Components.Schemas.ProviderCredential.init)),
                    message: done, bridgeSlug: bridge.slug, phoneNumber: .init(body?.phoneNumber)))
        } catch BridgeChangeError.invalid(let detail) {
            throw APIError.failed(failed, detail)
        }
    }

    /// The organization's bridge with this slug; a malformed or unknown slug is 404.
    private func existingBridge(_ slug: String) async throws -> Bridge {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard Self.isSlug(slug), let bridge = try await store.bridge(slug, orgID: organization.id) else {
            throw Self.bridgeNotFound
        }
        return bridge
    }

    static func isSlug(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") }
    }
}

extension Components.Schemas.Bridge {
    init(_ bridge: Bridge) {
        self.init(
            id: bridge.id, name: bridge.name, slug: bridge.slug, description: bridge.description, status: bridge.status,
            documentsStatus: bridge.documentsStatus, region: .init(bridge.region), hub: .init(bridge.hub),
            numbers: bridge.numbers.map {
                .init(
                    id: $0.id, numberId: $0.numberId, number: $0.number, state: $0.state, active: $0.active,
                    channelsCount: $0.channelsCount, status: $0.status)
            },
            provider: .init(bridge.provider),
            providerCredential: .init(bridge.providerCredential.map(Components.Schemas.ProviderCredential.init)),
            organization: .init(bridge.organization), createdAt: bridge.createdAt, updatedAt: bridge.updatedAt)
    }
}

extension Components.Schemas.ProviderCredential {
    init(_ credential: Bridge.ProviderCredential) {
        self.init(
            id: credential.id, name: credential.name, provider: credential.provider,
            providerDetails: .init(
                id: credential.providerDetails.id, name: credential.providerDetails.name,
                _type: credential.providerDetails.type),
            active: credential.active)
    }
}
