import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// TRK-1…6 under `/telephony/trunks/` (platform-api.md 3.3): a customer's own SIP carrier trunk and
/// the numbers it carries. Reads: any member; writes: owners and admins with a `write` key. A
/// malformed id names no trunk (``InputRulesMiddleware``): the same 404 as an unknown one.
extension APIHandlers {
    static let trunkNotFound = APIError.notFound("Trunk not found.")

    func listTrunks(_ input: Operations.ListTrunks.Input) async throws -> Operations.ListTrunks.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.trunks(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Trunks fetched successfully.",
                        data: try page.items.map(Components.Schemas.Trunk.init)))))
    }

    func getTrunk(_ input: Operations.GetTrunk.Input) async throws -> Operations.GetTrunk.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let trunk = try await store.trunk(input.path.trunkId, orgID: organization.id) else { throw Self.trunkNotFound }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Trunk fetched successfully.", data: try .init(trunk)))))
    }

    func createTrunk(_ input: Operations.CreateTrunk.Input) async throws -> Operations.CreateTrunk.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let body: Components.Schemas.CreateTrunkRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let port: String? =
            switch body?.port {
            case .case1(let text): text
            case .case2(let number): String(number)
            case nil: nil
            }
        let fields = try TrunkRules.fields(
            name: body?.name, sipURL: body?.sipUrl, transport: body?.transport, port: port, username: body?.authUsername,
            password: body?.authPassword, sourceIPs: body?.sourceIps)
        let trunk = try await store.createTrunk(orgID: organization.id, fields, actor: try auditActor())
        return .created(
            .init(body: .json(.init(statusCode: ._201, message: "Trunk created successfully.", data: try .init(trunk)))))
    }

    func deleteTrunk(_ input: Operations.DeleteTrunk.Input) async throws -> Operations.DeleteTrunk.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        try await store.deleteTrunk(input.path.trunkId, orgID: organization.id, actor: try auditActor())
        return .noContent(.init())
    }

    /// TRK-5: 201 when at least one number moved, 400 when none did.
    func attachTrunkNumbers(_ input: Operations.AttachTrunkNumbers.Input) async throws
        -> Operations.AttachTrunkNumbers.Output
    {
        let body: Components.Schemas.TrunkNumbersRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let result = try await setTrunkNumbers(input.path.trunkId, body, attached: true)
        return .created(.init(body: .json(.init(statusCode: ._201, message: result.message, data: result))))
    }

    /// TRK-6: 200 when at least one number moved, 400 when none did.
    func detachTrunkNumbers(_ input: Operations.DetachTrunkNumbers.Input) async throws
        -> Operations.DetachTrunkNumbers.Output
    {
        let body: Components.Schemas.TrunkNumbersRequest? = switch input.body { case .json(let body): body; case nil: nil }
        let result = try await setTrunkNumbers(input.path.trunkId, body, attached: false)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: result.message, data: result))))
    }

    private func setTrunkNumbers(_ trunkID: Int, _ body: Components.Schemas.TrunkNumbersRequest?, attached: Bool)
        async throws -> Components.Schemas.TrunkNumbersResult
    {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard try await store.trunk(trunkID, orgID: organization.id) != nil else { throw Self.trunkNotFound }
        guard let body else { throw APIError.invalidParameters("number_ids is required") }
        guard (1...100).contains(body.numberIds.count) else {
            throw APIError.invalidParameters("number_ids must name 1 to 100 numbers")
        }
        let results = try await store.setTrunk(
            trunkID, attached: attached, numberIDs: body.numberIds, orgID: organization.id, actor: try auditActor())
        guard results.contains(where: \.ok) else {
            let reasons = results.map { "\($0.numberId): \($0.error ?? "refused")" }.joined(separator: "; ")
            throw APIError(
                statusCode: 400, message: attached ? "No number was attached." : "No number was detached.",
                code: "invalid_parameters", errors: reasons)
        }
        let message = attached ? "Numbers attached to trunk." : "Numbers detached from trunk."
        return .init(trunkId: trunkID, numbers: results.map(Components.Schemas.NumberResult.init), message: message)
    }
}

extension Components.Schemas.Trunk {
    /// A trunk as stored; a transport the document does not name is a server bug, answered as such.
    init(_ trunk: Trunk) throws {
        guard let transport = TransportPayload(rawValue: trunk.transport) else { throw APIError.internalError }
        self.init(
            id: trunk.id, name: trunk.name, sipUrl: trunk.sipUrl, transport: transport, port: trunk.port,
            authUsername: .init(trunk.authUsername), authPassword: .init(trunk.authPassword), allowedIps: trunk.allowedIps,
            active: trunk.active, numbers: trunk.numbers, createdAt: trunk.createdAt)
    }
}

extension Components.Schemas.NumberResult {
    init(_ result: NumberResult) {
        self.init(
            numberId: result.numberId, number: .init(result.number), connectionState: .init(result.connectionState),
            agentId: .init(result.agentId), ok: result.ok, error: .init(result.error))
    }
}
