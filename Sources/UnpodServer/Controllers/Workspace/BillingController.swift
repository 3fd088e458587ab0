import Hummingbird
import UnpodCore
import UnpodPersistence

/// BIL-1 `GET /organisation/billing/` (platform-api.md 2.8): the organization's invoices, newest
/// first, under both `data` and `results`.
struct BillingController {
    let store: SQLStore

    func addRoutes(to group: GuardedRoutes) {
        group.get("organisation/billing", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let paging = try Pagination(request.uri.queryParameters)
        let page = try await store.invoices(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(InvoiceList(count: page.count, message: "Billing data fetched successfully", invoices: page.items))
    }
}
