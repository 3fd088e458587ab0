import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// LOG-1 `GET /call-logs/`: the organization's calls, newest first (platform-api.md 2.6).
struct CallLogController {
    let store: SQLStore

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("call-logs", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let query = request.uri.queryParameters
        let paging = try Pagination(query)
        let dates = try DateRange(query)
        var filter = CallLogFilter(from: dates.from, before: dates.before)
        if let text = query["call_type"] {
            guard let type = CallLog.CallType(rawValue: String(text)) else {
                throw APIError.invalidParameters("call_type must be inbound or outbound")
            }
            filter.callType = type
        }
        if let text = query["call_status"] {
            guard let status = CallLog.CallStatus(rawValue: String(text)) else {
                throw APIError.invalidParameters("call_status must be completed, missed or failed")
            }
            filter.callStatus = status
        }
        let page = try await store.callLogs(
            orgID: organization.id, filter: filter, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(
            ListEnvelope(count: page.count, message: "Call logs fetched successfully", data: page.items))
    }
}
