import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// CFG-1…5 under `/telephony/providers-configurations/` (platform-api.md 2.12, decisions.md
/// section 4): an organization's credentials for one provider, in either documented vocabulary.
/// Credentials are sealed at rest and masked in every answer. A malformed id names no
/// configuration (``InputRulesMiddleware``): the same 404 as an unknown one.
extension APIHandlers {
    static let configurationNotFound = APIError.notFound("Provider configuration not found.")

    func listProviderConfigurations(_ input: Operations.ListProviderConfigurations.Input) async throws
        -> Operations.ListProviderConfigurations.Output
    {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.providerConfigurations(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Provider configurations fetched successfully.",
                        data: page.items.map(Components.Schemas.ProviderConfiguration.init)))))
    }

    func getProviderConfiguration(_ input: Operations.GetProviderConfiguration.Input) async throws
        -> Operations.GetProviderConfiguration.Output
    {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let configuration = try await store.providerConfiguration(input.path.id, orgID: organization.id) else {
            throw Self.configurationNotFound
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Provider configuration fetched successfully.",
                        data: .init(configuration)))))
    }

    func createProviderConfiguration(_ input: Operations.CreateProviderConfiguration.Input) async throws
        -> Operations.CreateProviderConfiguration.Output
    {
        let organization = try APIRequestScope.current().requireMembership().organization
        let failed = "Provider configuration creation failed."
        let payload: Components.Schemas.ProviderConfigurationRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let body = ProviderConfigurationRequest(payload)
        guard let reference = body.provider else { throw APIError.failed(failed, "provider is required (an id or a slug)") }
        guard let provider = try await store.provider(reference) else {
            throw APIError.failed(failed, "provider must be an id or slug from GET /telephony/providers/")
        }
        var fields = try ProviderConfigurationRules.fields(body, failure: failed)
        guard let account = fields.account else { throw APIError.failed(failed, "account_sid (or api_key) is required") }
        guard let secret = fields.secret else { throw APIError.failed(failed, "auth_token (or api_secret) is required") }
        let name = fields.name ?? provider.name
        fields.name = nil
        let created = try await store.createProviderConfiguration(
            orgID: organization.id, provider: provider, name: name, account: account, secret: secret, fields: fields,
            actor: try auditActor())
        return .created(
            .init(
                body: .json(
                    .init(
                        statusCode: ._201, message: "Provider configuration created successfully.", data: .init(created)))))
    }

    func updateProviderConfiguration(_ input: Operations.UpdateProviderConfiguration.Input) async throws
        -> Operations.UpdateProviderConfiguration.Output
    {
        let organization = try APIRequestScope.current().requireMembership().organization
        let id = input.path.id
        guard let current = try await store.providerConfiguration(id, orgID: organization.id) else {
            throw Self.configurationNotFound
        }
        let failed = "Provider configuration update failed."
        let payload: Components.Schemas.ProviderConfigurationRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let body = ProviderConfigurationRequest(payload)
        if let reference = body.provider {
            let same: Bool =
                switch reference {
                case .id(let value): value == current.provider
                case .slug(let value): value.lowercased() == current.providerSlug
                }
            guard same else { throw APIError.failed(failed, "provider cannot be changed; create another configuration") }
        }
        let updated = try await store.updateProviderConfiguration(
            id, orgID: organization.id, fields: try ProviderConfigurationRules.fields(body, failure: failed),
            actor: try auditActor())
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Provider configuration updated successfully.", data: .init(updated)))))
    }

    func deleteProviderConfiguration(_ input: Operations.DeleteProviderConfiguration.Input) async throws
        -> Operations.DeleteProviderConfiguration.Output
    {
        let organization = try APIRequestScope.current().requireMembership().organization
        try await store.deleteProviderConfiguration(input.path.id, orgID: organization.id, actor: try auditActor())
        return .noContent(.init())
    }
}

extension ProviderConfigurationRequest {
    /// The body as the rules read it (every field optional; the operation checks what it needs).
    init(_ body: Components.Schemas.ProviderConfigurationRequest?) {
        let provider: ProviderReference? =
            switch body?.provider {
            case .case1(let id): .id(id)
            case .case2(let slug): .slug(slug)
            case nil: nil
            }
        self.init(
            name: body?.name, provider: provider, accountSid: body?.accountSid, authToken: body?.authToken,
            apiKey: body?.apiKey, apiSecret: body?.apiSecret, baseUrl: body?.baseUrl, sipUrl: body?.sipUrl,
            metaJson: body?.metaJson?.map { .init(metaKey: $0.metaKey, metaValue: $0.metaValue) }, active: body?.active)
    }
}

extension Components.Schemas.ProviderConfiguration {
    init(_ configuration: ProviderConfiguration) {
        let details = configuration.providerDetails
        self.init(
            id: configuration.id, name: configuration.name, provider: configuration.provider,
            providerSlug: configuration.providerSlug,
            providerDetails: .init(id: details.id, name: details.name, description: details.description, icon: details.icon),
            orgHandle: configuration.orgHandle, accountSid: configuration.accountSid, apiKey: configuration.apiKey,
            authToken: configuration.authToken, apiSecret: configuration.apiSecret, baseUrl: .init(configuration.baseUrl),
            sipUrl: .init(configuration.sipUrl),
            metaJson: configuration.metaJson.map { .init(metaKey: $0.metaKey, metaValue: $0.metaValue) },
            active: configuration.active, createdAt: configuration.createdAt, updatedAt: configuration.updatedAt)
    }
}
