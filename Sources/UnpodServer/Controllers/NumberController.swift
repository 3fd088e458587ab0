import Hummingbird
import HummingbirdCore
import UnpodCore
import UnpodPersistence

/// NUM-1 `GET /telephony/numbers/`: the organization's numbers (decisions.md section 4), with the
/// documented `status` and the Python client's `state` and `active`. `include_assigned` defaults
/// to true (every number of the organization); `false` lists only those not yet assigned.
struct NumberController {
    let store: SQLStore

    let addresses: ClientAddressResolver

    func addRoutes(to group: GuardedRoutes) {
        group.get("telephony/numbers", use: list)
        group.post("telephony/numbers/attach", use: attach)
        group.post("telephony/numbers/detach", use: detach)
        group.get("telephony/overview", use: overview)
    }

    /// NUM-2: 201 when at least one number was attached, 400 when none was; one result per number.
    @Sendable func attach(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let body = try await JSONResponse.decode(AttachNumbersRequest.self, from: request, context: context)
        try Self.checkCount(body.numbers)
        let termination: NumberTermination
        switch body.attachType ?? "agent" {
        case "agent":
            if body.agentId != nil {
                // No agents exist until the workspace issue (9) adds them: every agent handle is
                // unknown, and the request fails before any number is touched, as documented.
                throw APIError(
                    statusCode: 400, message: "Agent not found for this organization.", code: "invalid_parameters",
                    errors: "agent_id names no agent of this organization")
            }
            termination = .agent(nil)
        case "pipeline":
            guard let pipe = body.pipeId, (1...200).contains(pipe.count) else {
                throw APIError.invalidParameters("pipe_id is required when attach_type is pipeline")
            }
            termination = .pipeline(pipe)
        default:
            throw APIError.invalidParameters("attach_type must be agent or pipeline")
        }
        if let region = body.region, !(1...50).contains(region.count) {
            throw APIError.invalidParameters("region must be 1 to 50 characters")
        }
        guard
            let results = try await store.attachNumbers(
                body.numbers, orgID: organization.id, termination: termination, bridgeSlug: body.bridgeSlug,
                region: body.region, actor: try context.auditActor(request, addresses: addresses))
        else { throw APIError.invalidParameters("bridge_slug names no bridge of this organization") }
        return try Self.answer(results, agentID: body.agentId, success: "Numbers attached to agent.", status: 201,
                               none: "No number was attached.")
    }

    /// NUM-3: 200 when at least one number was detached, 400 when none was.
    @Sendable func detach(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let body = try await JSONResponse.decode(DetachNumbersRequest.self, from: request, context: context)
        try Self.checkCount(body.numbers)
        let results = try await store.detachNumbers(
            body.numbers, orgID: organization.id,
            actor: try context.auditActor(request, addresses: addresses))
        return try Self.answer(results, agentID: nil, success: "Numbers detached.", status: 200, none: "No number was detached.")
    }

    /// NUM-4.
    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let numbers = try await store.numberOverview(orgID: organization.id)
        return JSONResponse.make(ListEnvelope(count: numbers.count, message: "Telephony overview fetched successfully.", data: numbers))
    }

    private static func checkCount(_ numbers: [String]) throws {
        guard (1...100).contains(numbers.count) else { throw APIError.invalidParameters("numbers must name 1 to 100 numbers") }
    }

    private static func answer(_ results: [NumberResult], agentID: String?, success: String, status: Int, none: String) throws
        -> Response
    {
        guard results.contains(where: \.ok) else {
            throw APIError(
                statusCode: 400, message: none, code: "invalid_parameters",
                errors: results.map { "\($0.number ?? "?"): \($0.error ?? "refused")" }.joined(separator: "; "))
        }
        return JSONResponse.make(
            ObjectEnvelope(
                statusCode: status, message: success, data: AgentNumbersResult(agentId: agentID, numbers: results, message: success)),
            status: status)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let query = request.uri.queryParameters
        let paging = try Pagination(query)
        let page = try await store.numbers(
            orgID: organization.id, includeAssigned: try Self.includeAssigned(query), page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(ListEnvelope(count: page.count, message: "Numbers fetched successfully.", data: page.items))
    }

    /// NUM-1's `include_assigned` filter (the dashboard's list takes it too).
    static func includeAssigned(_ query: FlatDictionary<Substring, Substring>) throws -> Bool {
        guard let text = query["include_assigned"] else { return true }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.invalidParameters("include_assigned must be true or false")
        }
    }
}
