import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// The organization's live calls (issue 17, item 6): a list with a status filter, and each call's
/// transcript and timings.
extension DashboardController {
    @Sendable func callsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let organization = try visit.requireOrganization().organization
        let query = TableContent.query(request)
        var status: CallStatus?
        if let text = query["status"], !text.isEmpty {
            guard let parsed = CallStatus(rawValue: text) else { throw DashboardError.badRequest("\(text) is not a call status.") }
            status = parsed
        }
        let paging = try Pagination(Self.nonEmpty(request.uri.queryParameters))
        let page = try await store.calls(orgID: organization.id, status: status, page: paging.page, pageSize: paging.pageSize)
        let handle = organization.domainHandle
        let table = TableContent(
            action: "/dashboard/calls", org: handle,
            filters: [.select("status", "Status", options: CallStatus.allCases.map(\.rawValue), query: query)],
            columns: ["Call", "Agent", "Status", "End reason", "Turns", "Duration", "Created"],
            rows: page.items.map(Self.row),
            links: page.items.map { "/dashboard/calls/\($0.callID)?org=\(handle)" },
            empty: "No calls yet: start one with unpod call, the API or the SDK.", total: page.count, page: paging.page,
            pageSize: paging.pageSize, query: query)
        return pages.page("table", table, chrome: visit.chrome("Calls", page: "calls"))
    }

    private static func row(_ call: Call) -> [String] {
        let duration = String(format: "%.1f s", call.durationSeconds)
        let created = DashboardFormat.date(call.createdAt)
        return [call.callID, call.agentHandle, call.status.rawValue, call.endReason ?? "", String(call.transcriptTurns), duration, created]
    }

    @Sendable func callPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let organization = try visit.requireOrganization().organization
        let callID = try context.parameters.require("call_id")
        guard let call = try await store.call(callID, orgID: organization.id) else { throw DashboardError.notFound("No such call.") }
        func time(_ date: Date?) -> String { date.map(DashboardFormat.date) ?? "—" }
        let content = CallPage(
            org: organization.domainHandle,
            facts: [
                .init(label: "Agent", value: call.agentHandle), .init(label: "Status", value: call.status.rawValue),
                .init(label: "End reason", value: call.endReason ?? "—"), .init(label: "Direction", value: call.direction),
                .init(label: "Created", value: time(call.createdAt)), .init(label: "Connected", value: time(call.connectedAt)),
                .init(label: "Ended", value: time(call.endedAt)),
                .init(label: "Talk time", value: String(format: "%.1f s", call.durationSeconds)),
            ],
            turns: (call.transcript ?? []).map {
                .init(role: $0.role.rawValue, content: $0.content, time: Timestamp.format($0.timestamp))
            })
        return pages.page("call", content, chrome: visit.chrome("Call \(call.callID)", page: "calls"))
    }
}
