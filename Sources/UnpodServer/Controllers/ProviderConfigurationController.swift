import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// CFG-1…5 under `/telephony/providers-configurations/` (platform-api.md 2.12, decisions.md
/// section 4): an organization's credentials for one provider, in either documented vocabulary.
/// Credentials are sealed at rest and masked in every answer. Reads: any member with a `read` key;
/// writes: owners and admins with a `write` key (the route group's policy).
struct ProviderConfigurationController {
    static let notFound = APIError.notFound("Provider configuration not found.")

    let store: SQLStore
    let addresses: ClientAddressResolver

    func addRoutes(to group: GuardedRoutes) {
        group.get("telephony/providers-configurations", use: list)
        group.post("telephony/providers-configurations", use: create)
        group.get("telephony/providers-configurations/:id", use: show)
        group.patch("telephony/providers-configurations/:id", use: update)
        group.delete("telephony/providers-configurations/:id", use: delete)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let paging = try Pagination(request.uri.queryParameters)
        let page = try await store.providerConfigurations(
            orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(
            ListEnvelope(count: page.count, message: "Provider configurations fetched successfully.", data: page.items))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        guard let configuration = try await store.providerConfiguration(try Self.id(context), orgID: organization.id)
        else { throw Self.notFound }
        return JSONResponse.make(
            ObjectEnvelope(message: "Provider configuration fetched successfully.", data: configuration))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let failed = "Provider configuration creation failed."
        let body = try await JSONResponse.decode(ProviderConfigurationRequest.self, from: request, context: context, failure: failed)
        guard let reference = body.provider else { throw APIError.failed(failed, "provider is required (an id or a slug)") }
        guard let provider = try await store.provider(reference) else {
            throw APIError.failed(failed, "provider must be an id or slug from GET /telephony/providers/")
        }
        var fields = try Self.fields(body, failure: failed)
        guard let account = fields.account else { throw APIError.failed(failed, "account_sid (or api_key) is required") }
        guard let secret = fields.secret else { throw APIError.failed(failed, "auth_token (or api_secret) is required") }
        let name = fields.name ?? provider.name
        fields.name = nil
        let created = try await store.createProviderConfiguration(
            orgID: organization.id, provider: provider, name: name, account: account, secret: secret, fields: fields,
            actor: try context.auditActor(request, addresses: addresses))
        return JSONResponse.make(
            ObjectEnvelope(statusCode: 201, message: "Provider configuration created successfully.", data: created),
            status: 201)
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let id = try Self.id(context)
        guard let current = try await store.providerConfiguration(id, orgID: organization.id) else { throw Self.notFound }
        let failed = "Provider configuration update failed."
        let body = try await JSONResponse.decode(ProviderConfigurationRequest.self, from: request, context: context, failure: failed)
        if let reference = body.provider {
            let same: Bool =
                switch reference {
                case .id(let value): value == current.provider
                case .slug(let value): value.lowercased() == current.providerSlug
                }
            guard same else { throw APIError.failed(failed, "provider cannot be changed; create another configuration") }
        }
        let updated = try await store.updateProviderConfiguration(
            id, orgID: organization.id, fields: try Self.fields(body, failure: failed), actor: try context.auditActor(request, addresses: addresses))
        return JSONResponse.make(
            ObjectEnvelope(message: "Provider configuration updated successfully.", data: updated))
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        try await store.deleteProviderConfiguration(
            try Self.id(context), orgID: organization.id, actor: try context.auditActor(request, addresses: addresses))
        return JSONResponse.noContent()
    }

    /// A malformed id names no configuration: the same answer as an unknown one.
    private static func id(_ context: AppRequestContext) throws -> Int {
        guard let id = context.parameters.get("id", as: Int.self), id > 0 else { throw notFound }
        return id
    }


    /// Checks the values a body gives, in either vocabulary; both spellings of one field must agree.
    static func fields(_ body: ProviderConfigurationRequest, failure: String) throws -> ProviderConfigurationFields {
        func one(_ first: String?, _ second: String?, _ names: String) throws -> String? {
            if let first, let second, first != second { throw APIError.failed(failure, "\(names) differ; give one of them") }
            return first ?? second
        }
        var fields = ProviderConfigurationFields()
        if let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines) {
            guard (1...100).contains(name.count) else { throw APIError.failed(failure, "name must be 1 to 100 characters") }
            fields.name = name
        }
        if let account = try one(body.accountSid, body.apiKey, "account_sid and api_key") {
            guard Self.isCredential(account, maximum: 256) else {
                throw APIError.failed(failure, "account_sid must be 1 to 256 printable characters")
            }
            fields.account = account
        }
        if let secret = try one(body.authToken, body.apiSecret, "auth_token and api_secret") {
            guard Self.isCredential(secret, maximum: 1024) else {
                throw APIError.failed(failure, "auth_token must be 1 to 1024 printable characters")
            }
            fields.secret = secret
        }
        if let baseURL = body.baseUrl {
            guard baseURL.isEmpty || isURL(baseURL, schemes: ["http", "https"]) else {
                throw APIError.failed(failure, "base_url must be an http or https URL")
            }
            fields.baseURL = .some(baseURL.isEmpty ? nil : baseURL)
        }
        if let sipURL = body.sipUrl {
            guard sipURL.isEmpty || isURL(sipURL, schemes: ["sip", "sips"]) else {
                throw APIError.failed(failure, "sip_url must be a SIP URI such as sip:username@domain.com")
            }
            fields.sipURL = .some(sipURL.isEmpty ? nil : sipURL)
        }
        if let meta = body.metaJson {
            guard meta.count <= 50,
                meta.allSatisfy({ (1...100).contains($0.metaKey.count) && $0.metaValue.count <= 1000 })
            else { throw APIError.failed(failure, "meta_json holds at most 50 entries, keys of 1 to 100 characters") }
            fields.meta = meta
        }
        fields.active = body.active
        return fields
    }

    private static func isCredential(_ value: String, maximum: Int) -> Bool {
        (1...maximum).contains(value.count) && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
    }

    private static func isURL(_ text: String, schemes: Set<String>) -> Bool {
        guard text.count <= 2048, let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon].lowercased()
        let rest = text[text.index(after: colon)...]
        return schemes.contains(scheme) && rest.count >= 1 && !text.contains(where: \.isWhitespace)
    }

}
