import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// TRK-1…6 under `/telephony/trunks/` (platform-api.md 3.3): a customer's own SIP carrier trunk and
/// the numbers it carries. Reads: any member; writes: owners and admins with a `write` key.
struct TrunkController {
    static let notFound = APIError.notFound("Trunk not found.")

    let store: SQLStore
    let addresses: ClientAddressResolver

    func addRoutes(to group: GuardedRoutes) {
        group.get("telephony/trunks", use: list)
        group.post("telephony/trunks", use: create)
        group.get("telephony/trunks/:trunk_id", use: show)
        group.delete("telephony/trunks/:trunk_id", use: delete)
        group.post("telephony/trunks/:trunk_id/attach-numbers") { request, context in
            try await setNumbers(request, context, attached: true)
        }
        group.post("telephony/trunks/:trunk_id/detach-numbers") { request, context in
            try await setNumbers(request, context, attached: false)
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let paging = try Pagination(request.uri.queryParameters)
        let page = try await store.trunks(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(ListEnvelope(count: page.count, message: "Trunks fetched successfully.", data: page.items))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        guard let trunk = try await store.trunk(try Self.id(context), orgID: organization.id) else { throw Self.notFound }
        return JSONResponse.make(ObjectEnvelope(message: "Trunk fetched successfully.", data: trunk))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let body = try await JSONResponse.decode(CreateTrunkRequest.self, from: request, context: context)
        let trunk = try await store.createTrunk(
            orgID: organization.id, try Self.fields(body), actor: try context.auditActor(request, addresses: addresses))
        return JSONResponse.make(
            ObjectEnvelope(statusCode: 201, message: "Trunk created successfully.", data: trunk), status: 201)
    }

    @Sendable func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        try await store.deleteTrunk(try Self.id(context), orgID: organization.id, actor: try context.auditActor(request, addresses: addresses))
        return JSONResponse.noContent()
    }

    /// TRK-5/6: 201 (attach) or 200 (detach) when at least one number moved, 400 when none did.
    func setNumbers(_ request: Request, _ context: AppRequestContext, attached: Bool) async throws -> Response {
        let organization = try context.requireMembership().organization
        let trunkID = try Self.id(context)
        guard try await store.trunk(trunkID, orgID: organization.id) != nil else { throw Self.notFound }
        let body = try await JSONResponse.decode(TrunkNumbersRequest.self, from: request, context: context)
        guard (1...100).contains(body.numberIds.count) else {
            throw APIError.invalidParameters("number_ids must name 1 to 100 numbers")
        }
        let results = try await store.setTrunk(
            trunkID, attached: attached, numberIDs: body.numberIds, orgID: organization.id,
            actor: try context.auditActor(request, addresses: addresses))
        guard results.contains(where: \.ok) else {
            let reasons = results.map { "\($0.numberId): \($0.error ?? "refused")" }.joined(separator: "; ")
            throw APIError(
                statusCode: 400, message: attached ? "No number was attached." : "No number was detached.",
                code: "invalid_parameters", errors: reasons)
        }
        let message = attached ? "Numbers attached to trunk." : "Numbers detached from trunk."
        let status = attached ? 201 : 200
        return JSONResponse.make(
            ObjectEnvelope(
                statusCode: status, message: message,
                data: TrunkNumbersResult(trunkId: trunkID, numbers: results, message: message)),
            status: status)
    }

    private static func id(_ context: AppRequestContext) throws -> Int {
        guard let id = context.parameters.get("trunk_id", as: Int.self), id > 0 else { throw notFound }
        return id
    }

    static func fields(_ body: CreateTrunkRequest) throws -> TrunkFields {
        let name = (body.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else { throw APIError.invalidParameters("name must be 1 to 100 characters") }
        guard let sipURL = body.sipUrl, sipURL.count <= 2048, !sipURL.contains(where: \.isWhitespace),
            sipURL.lowercased().hasPrefix("sip:") || sipURL.lowercased().hasPrefix("sips:"), sipURL.count > 5
        else { throw APIError.invalidParameters("sip_url must be a SIP URI such as sip:carrier.example.com") }
        let transport = (body.transport ?? "tls").lowercased()
        guard ["udp", "tcp", "tls"].contains(transport) else {
            throw APIError.invalidParameters("transport must be udp, tcp or tls")
        }
        let port = body.port?.value ?? (transport == "tls" ? "5061" : "5060")
        guard port.allSatisfy(\.isASCII), let number = Int(port), (1...65_535).contains(number) else {
            throw APIError.invalidParameters("port must be a number from 1 to 65535")
        }
        if let username = body.authUsername {
            guard (1...128).contains(username.count) else {
                throw APIError.invalidParameters("auth_username must be 1 to 128 characters")
            }
        }
        if let password = body.authPassword {
            guard (1...256).contains(password.count) else {
                throw APIError.invalidParameters("auth_password must be 1 to 256 characters")
            }
        }
        let ips = body.sourceIps ?? []
        guard ips.count <= 50, ips.allSatisfy({ IPRange($0) != nil }) else {
            throw APIError.invalidParameters("source_ips must be at most 50 IP addresses or CIDR ranges")
        }
        return TrunkFields(
            name: name, sipURL: sipURL, transport: transport, port: String(number), username: body.authUsername,
            password: body.authPassword, allowedIPs: ips)
    }
}
