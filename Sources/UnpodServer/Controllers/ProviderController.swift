import Hummingbird
import UnpodCore
import UnpodPersistence

/// PRV-1 `GET /telephony/providers/`: the global catalog (platform-api.md 2.11), for any
/// authenticated key; `Org-Handle` is checked when sent, not required (the catalog is global).
struct ProviderController {
    let store: SQLStore

    func addRoutes(to group: GuardedRoutes) {
        group.get("telephony/providers", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let paging = try Pagination(request.uri.queryParameters)
        let all = try await store.providers()
        let page = Array(all.dropFirst((paging.page - 1) * paging.pageSize).prefix(paging.pageSize))
        return JSONResponse.make(
            ListEnvelope(count: all.count, message: "Voice infra providers fetched successfully.", data: page))
    }
}
