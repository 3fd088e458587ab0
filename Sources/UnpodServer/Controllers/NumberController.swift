import Hummingbird
import UnpodCore
import UnpodPersistence

/// NUM-1 `GET /telephony/numbers/`: the organization's numbers (decisions.md section 4), with the
/// documented `status` and the Python client's `state` and `active`. `include_assigned` defaults
/// to true (every number of the organization); `false` lists only those not yet assigned.
struct NumberController {
    let store: SQLStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("telephony/numbers", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let query = request.uri.queryParameters
        let paging = try Pagination(query)
        var includeAssigned = true
        if let text = query["include_assigned"] {
            switch text.lowercased() {
            case "true", "1", "yes": includeAssigned = true
            case "false", "0", "no": includeAssigned = false
            default: throw APIError.invalidParameters("include_assigned must be true or false")
            }
        }
        let page = try await store.numbers(
            orgID: organization.id, includeAssigned: includeAssigned, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(ListEnvelope(count: page.count, message: "Numbers fetched successfully.", data: page.items))
    }
}
