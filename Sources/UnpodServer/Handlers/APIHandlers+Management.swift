import Foundation
import Hummingbird
import Logging
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// The SDK's management plane (`/platform/v1`, issue 18): API keys and trunks as `client.api_keys`
/// and `client.trunks` send them. They are this server's own keys and trunks in another shape: a
/// key made here authenticates everywhere; a trunk made here is listed by the telephony plane too.
extension APIHandlers {
    func createManagementAPIKey(_ input: Operations.CreateManagementAPIKey.Input) async throws -> Operations.CreateManagementAPIKey.Output {
        let context = try APIRequestScope.current()
        let caller = try context.requireCaller()
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        if let project = body.projectId, project != body.orgId {
            throw APIError.invalidParameters("project_id must be the organization's handle (org_id): projects are organizations here")
        }
        let key = try KeyGrantor(caller).newKey(
            CreateAPIKeyRequest(name: body.name, scopes: nil, orgHandle: body.orgId, expiresAt: nil, expiresIn: nil), now: clock.now())
        let created = try await store.createAPIKey(
            userID: caller.userID, name: key.name, scopes: key.scopes, organization: key.organization, expiresAt: key.expiresAt,
            actor: try auditActor())
        context.logger.info("API key created", metadata: ["key_id": "\(created.keyId)", "by": "\(caller.keyID)"])
        let handle = created.orgHandle ?? body.orgId
        return .created(
            .init(
                body: .json(
                    .init(
                        statusCode: ._201, message: "API key created.",
                        data: .init(
                            keyId: created.keyId, name: created.name, orgId: handle, projectId: handle, status: .active, created: created.createdAt,
                            rawKey: created.token, scopes: created.scopes)))))
    }

    func listManagementTrunks(_ input: Operations.ListManagementTrunks.Input) async throws -> Operations.ListManagementTrunks.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let trunks = try await store.trunks(orgID: organization.id, page: 1, pageSize: 1000).items
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Trunks fetched.",
                        data: trunks.map { Components.Schemas.ManagementTrunk($0, project: organization.domainHandle) }, count: trunks.count))))
    }

    func createManagementTrunk(_ input: Operations.CreateManagementTrunk.Input) async throws -> Operations.CreateManagementTrunk.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        var fields: TrunkFields
        switch body._type {
        case .byo:
            guard let byo = body.byoConfig, body.providerTrunkId == nil else {
                throw APIError.invalidParameters("a byo trunk needs byo_config (and no provider_trunk_id)")
            }
            fields = try TrunkRules.fields(
                name: body.name, sipURL: "sip:" + byo.sipDomain, transport: byo.transport?.rawValue, port: nil, username: byo.authUsername,
                password: byo.authPassword, sourceIPs: nil)
            fields.provider = byo.provider
        case .livekit:
            guard let provider = body.providerTrunkId, body.byoConfig == nil else {
                throw APIError.invalidParameters("a livekit trunk needs provider_trunk_id (and no byo_config)")
            }
            guard provider.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
                throw APIError.invalidParameters("provider_trunk_id must be letters, digits, '_', '-' or '.'")
            }
            fields = try TrunkRules.fields(
                name: body.name, sipURL: "sip:" + provider, transport: nil, port: nil, username: nil, password: nil, sourceIPs: nil)
            fields.kind = "livekit"
            fields.providerTrunkID = provider
        }
        let trunk = try await store.createTrunk(orgID: organization.id, fields, actor: try auditActor())
        return .created(.init(body: .json(.init(statusCode: ._201, message: "Trunk created.", data: .init(trunk, project: organization.domainHandle)))))
    }

    func deleteManagementTrunk(_ input: Operations.DeleteManagementTrunk.Input) async throws -> Operations.DeleteManagementTrunk.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let id = Int(input.path.trunkId) else { throw APIError.notFound("Trunk not found.") }
        try await store.deleteTrunk(id, orgID: organization.id, actor: try auditActor())
        return .noContent(.init())
    }
}

extension Components.Schemas.ManagementTrunk {
    init(_ trunk: Trunk, project: String) {
        let byo = trunk.kind == "byo"
        self.init(
            trunkId: String(trunk.id), projectId: project, name: trunk.name, _type: byo ? .byo : .livekit, status: trunk.active ? .active : .inactive,
            providerTrunkId: .init(trunk.providerTrunkID), byoConfigProvider: .init(byo ? trunk.provider : nil),
            byoConfigSipDomain: .init(byo ? String(trunk.sipUrl.drop { $0 != ":" }.dropFirst()) : nil),
            byoConfigAuthUsername: .init(byo ? trunk.authUsername : nil), byoConfigTransport: .init(byo ? trunk.transport : nil),
            created: trunk.createdAt, modified: trunk.createdAt)
    }
}
