import Foundation
import Hummingbird
import HummingbirdCore
import UnpodCore
import UnpodPersistence

/// Read-only lists: the security log, and the organization's bridges, numbers, trunks and call
/// logs, with the API's own filters and paging (the same parsers, so a bad value reads the same).
extension DashboardController {
    @Sendable func securityLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let query = TableContent.query(request)
        let parameters = request.uri.queryParameters
        var filter = AuditFilter()
        // Owners and admins see their organization's log; everyone sees their own (`scope=self`).
        let scope = query["scope"] ?? (visit.managesOrganization ? "organization" : "self")
        switch scope {
        case "self": filter.userID = visit.user.id
        case "organization":
            let membership = try visit.requireOrganization()
            guard membership.role >= .admin else {
                throw DashboardError.forbidden("Only owners and admins see the organization's security log.")
            }
            filter.orgID = membership.organization.id
        default: throw DashboardError.badRequest("scope must be organization or self.")
        }
        if let action = query["action"], !action.isEmpty {
            guard AuditActions.all.contains(action) else { throw DashboardError.badRequest("\(action) is not an action.") }
            filter.action = action
        }
        if let actor = query["actor"], !actor.isEmpty { filter.actor = String(actor.prefix(254)) }
        let dates = try DateRange(Self.nonEmpty(parameters))
        filter.from = dates.from
        filter.before = dates.before
        let paging = try Pagination(Self.nonEmpty(parameters))
        let page = try await store.auditEvents(filter, page: paging.page, pageSize: paging.pageSize)
        let table = TableContent(
            action: "/dashboard/security-log", org: visit.current?.organization.domainHandle ?? "",
            filters: [
                .select("scope", "Whose", options: visit.managesOrganization ? ["organization", "self"] : ["self"], query: ["scope": scope]),
                .select("action", "Action", options: AuditActions.all.sorted(), query: query),
                .text("actor", "Actor (email, key id or cli)", query: query),
                .date("start_date", "From", query: query), .date("end_date", "To", query: query),
            ],
            columns: ["When", "Action", "Actor", "Target", "Organization", "Address", "Request id"],
            rows: page.items.map { event in
                [
                    DashboardFormat.date(event.occurredAt), event.action,
                    event.actor.email ?? event.actor.keyId ?? event.actor.type,
                    "\(event.target.type) \(event.target.id)", event.orgHandle ?? "", event.clientAddress ?? "", event.requestId ?? "",
                ]
            },
            empty: "No events match.", total: page.count, page: paging.page, pageSize: paging.pageSize, query: query)
        return pages.page("table", table, chrome: visit.chrome("Security log", page: "security-log"))
    }

    @Sendable func bridges(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await list(request, context: context, page: "bridges", title: "Bridges") { visit, parameters, org in
            let paging = try Pagination(parameters)
            let page = try await store.bridges(orgID: org.id, page: paging.page, pageSize: paging.pageSize)
            return (
                [], ["Name", "Slug", "Status", "Provider", "Numbers", "Region", "Created"],
                page.items.map { bridge in
                    [
                        bridge.name, bridge.slug, bridge.status.rawValue, bridge.provider ?? "",
                        bridge.numbers.map(\.number).joined(separator: ", "), bridge.region ?? "", DashboardFormat.date(bridge.createdAt),
                    ]
                }, page.count, paging
            )
        }
    }

    @Sendable func numbers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await list(request, context: context, page: "numbers", title: "Numbers") { visit, parameters, org in
            let paging = try Pagination(parameters)
            let page = try await store.numbers(
                orgID: org.id, includeAssigned: try NumberRules.includeAssigned(parameters), page: paging.page,
                pageSize: paging.pageSize)
            return (
                [.select("include_assigned", "Assigned numbers", options: ["true", "false"], query: TableContent.query(request))],
                ["Number", "Provider", "State", "Bridge", "Trunk", "Agent", "Connection", "Added"],
                page.items.map { number in
                    [
                        number.number, number.provider, number.state, number.bridgeSlug ?? "", number.trunkId.map(String.init) ?? "",
                        number.agentId ?? "", number.connectionState, DashboardFormat.date(number.createdAt),
                    ]
                }, page.count, paging
            )
        }
    }

    @Sendable func trunks(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await list(request, context: context, page: "trunks", title: "Trunks") { visit, parameters, org in
            let paging = try Pagination(parameters)
            let page = try await store.trunks(orgID: org.id, page: paging.page, pageSize: paging.pageSize)
            return (
                [], ["Name", "SIP URL", "Transport", "Port", "Numbers", "Active", "Created"],
                page.items.map { trunk in
                    [
                        trunk.name, trunk.sipUrl, trunk.transport, trunk.port, trunk.numbers.joined(separator: ", "),
                        trunk.active ? "yes" : "no", DashboardFormat.date(trunk.createdAt),
                    ]
                }, page.count, paging
            )
        }
    }

    @Sendable func callLogs(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await list(request, context: context, page: "call-logs", title: "Call logs") { visit, parameters, org in
            let paging = try Pagination(parameters)
            let filter = try CallLogRules.filter(parameters)
            let page = try await store.callLogs(orgID: org.id, filter: filter, page: paging.page, pageSize: paging.pageSize)
            let query = TableContent.query(request)
            return (
                [
                    .select("call_type", "Type", options: CallLog.CallType.allCases.map(\.rawValue), query: query),
                    .select("call_status", "Status", options: CallLog.CallStatus.allCases.map(\.rawValue), query: query),
                    .date("start_date", "From", query: query), .date("end_date", "To", query: query),
                ],
                ["Call", "From", "To", "Type", "Status", "Created", "Duration (s)", "End reason"],
                page.items.map { log in
                    [
                        log.callId, log.sourceNumber, log.destinationNumber, log.callType.rawValue, log.callStatus.rawValue,
                        DashboardFormat.date(log.creationTime), String(log.callDuration), log.endReason ?? "",
                    ]
                }, page.count, paging
            )
        }
    }

    /// One organization list page: `load` returns its filters, columns, rows, total and paging.
    private func list(
        _ request: Request, context: AppRequestContext, page: String, title: String,
        load: (DashboardVisit, FlatDictionary<Substring, Substring>, OrganizationSummary) async throws -> (
            [TableContent.Filter], [String], [[String]], Int, Pagination
        )
    ) async throws -> Response {
        let visit = try await visit(request, context: context)
        let organization = try visit.requireOrganization().organization
        let (filters, columns, rows, total, paging) = try await load(visit, Self.nonEmpty(request.uri.queryParameters), organization)
        let table = TableContent(
            action: "/dashboard/\(page)", org: organization.domainHandle, filters: filters, columns: columns, rows: rows,
            empty: "Nothing here yet.", total: total, page: paging.page, pageSize: paging.pageSize,
            query: TableContent.query(request))
        return pages.page("table", table, chrome: visit.chrome(title, page: page))
    }

    /// A filter form sends its empty fields too: "any" reads as not given.
    static func nonEmpty(_ query: FlatDictionary<Substring, Substring>) -> FlatDictionary<Substring, Substring> {
        FlatDictionary(query.filter { !$0.value.isEmpty && $0.key != "org" && $0.key != "notice" }.map { ($0.key, $0.value) })
    }
}
