import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// Spaces, agents and runs on the dashboard (issue 9, items 1 and 7): everyone sees them; owners
/// and admins create, publish and archive, through the same store functions as `unpod spaces` and
/// `unpod agents`, audited as the signed-in user.
extension DashboardController {
    struct SpacesContent {
        struct Row {
            let name: String
            let token: String
            let contentType: String
            let agent: String
            let created: String
            let runsLink: String
            let editAction: String
            let archiveAction: String
            /// The agents to pick from when editing, this space's own selected.
            let agentChoices: [Choice]
        }

        let csrf: String
        let org: String
        let canManage: Bool
        let rows: [Row]
        let hasRows: Bool
        let agents: [Choice]
        let notice: String?
    }

    struct AgentsContent {
        struct Row {
            let handle: String
            let name: String
            let type: String
            let state: String
            let purpose: String
            let editAction: String
            let publishAction: String?
            let archiveAction: String?
            /// Published agents take a test call from any member.
            let testCallAction: String?
        }

        let csrf: String
        let org: String
        let canManage: Bool
        let rows: [Row]
        let hasRows: Bool
        let notice: String?
    }

    @Sendable func spacesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let membership = try visit.requireOrganization()
        let spaces = try await store.spaces(orgID: membership.organization.id, page: 1, pageSize: 100).items
        let agents = try await store.agents(orgID: membership.organization.id, page: 1, pageSize: 100).items
        let handles = [""] + agents.filter { $0.state != .archived }.map(\.handle)
        func choices(selecting current: String) -> [Choice] {
            handles.map { .init(value: $0, label: $0.isEmpty ? "None" : $0, selected: $0 == current) }
        }
        let content = SpacesContent(
            csrf: visit.session.csrfToken, org: membership.organization.domainHandle, canManage: visit.managesOrganization,
            rows: spaces.map { space in
                .init(
                    name: space.name, token: space.token, contentType: space.contentType, agent: space.agentHandle ?? "",
                    created: DashboardFormat.date(space.createdAt), runsLink: visit.link("runs", "space=\(space.token)"),
                    editAction: "/dashboard/spaces/\(space.token)/edit", archiveAction: "/dashboard/spaces/\(space.token)/archive",
                    agentChoices: choices(selecting: space.agentHandle ?? ""))
            },
            hasRows: !spaces.isEmpty,
            agents: choices(selecting: ""),
            notice: DashboardNotice.text(in: request.uri.queryParameters["notice"].map(String.init)))
        return pages.page("spaces", content, chrome: visit.chrome("Spaces", page: "spaces"))
    }

    @Sendable func createSpace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let agent = form["agent"].flatMap { $0.isEmpty ? nil : $0 }
        _ = try await store.createSpace(
            orgID: membership.organization.id, name: try form.required("name", label: "The space's name"),
            description: form["description"] ?? "", contentType: form["content_type"].flatMap { $0.isEmpty ? nil : $0 } ?? "contact",
            agentHandle: agent, actor: visit.actor)
        return Self.redirect(visit.link("spaces"), notice: .spaceCreated)
    }

    @Sendable func editSpace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        _ = try await store.updateSpace(
            orgID: membership.organization.id, token: try context.parameters.require("token"),
            name: try form.required("name", label: "The space's name"), description: form["description"], contentType: nil,
            agentHandle: form["agent"], actor: visit.actor)
        return Self.redirect(visit.link("spaces"), notice: .spaceUpdated)
    }

    @Sendable func archiveSpace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        try await store.archiveSpace(
            orgID: membership.organization.id, token: try context.parameters.require("token"), actor: visit.actor)
        return Self.redirect(visit.link("spaces"), notice: .spaceArchived)
    }

    @Sendable func agentsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let membership = try visit.requireOrganization()
        let agents = try await store.agents(orgID: membership.organization.id, page: 1, pageSize: 100).items
        let content = AgentsContent(
            csrf: visit.session.csrfToken, org: membership.organization.domainHandle, canManage: visit.managesOrganization,
            rows: agents.map { agent in
                .init(
                    handle: agent.handle, name: agent.name, type: agent.type, state: agent.state.rawValue, purpose: agent.purpose,
                    editAction: "/dashboard/agents/\(agent.handle)/edit", publishAction: agent.state == .draft ? "/dashboard/agents/\(agent.handle)/publish" : nil,
                    archiveAction: agent.state == .archived ? nil : "/dashboard/agents/\(agent.handle)/archive",
                    testCallAction: agent.state == .published ? "/dashboard/agents/\(agent.handle)/test-call" : nil)
            },
            hasRows: !agents.isEmpty, notice: DashboardNotice.text(in: request.uri.queryParameters["notice"].map(String.init)))
        return pages.page("agents", content, chrome: visit.chrome("Agents", page: "agents"))
    }

    @Sendable func createAgent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        _ = try await store.createAgent(
            orgID: membership.organization.id, handle: try form.required("handle", label: "The agent's handle"),
            name: try form.required("name", label: "The agent's name"),
            type: form["type"].flatMap { $0.isEmpty ? nil : $0 } ?? "Voice", purpose: form["purpose"] ?? "", voiceProfileID: nil,
            publish: form["publish"] == "on", actor: visit.actor)
        return Self.redirect(visit.link("agents"), notice: .agentCreated)
    }

    @Sendable func editAgent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        _ = try await store.updateAgent(
            orgID: membership.organization.id, handle: try context.parameters.require("handle"),
            name: try form.required("name", label: "The agent's name"), type: form["type"].flatMap { $0.isEmpty ? nil : $0 },
            purpose: form["purpose"], voiceProfileID: nil, actor: visit.actor)
        return Self.redirect(visit.link("agents"), notice: .agentChanged)
    }

    @Sendable func publishAgent(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setAgentState(request, context: context, .published)
    }

    @Sendable func archiveAgent(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await setAgentState(request, context: context, .archived)
    }

    private func setAgentState(_ request: Request, context: AppRequestContext, _ state: Agent.State) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        try await store.setAgentState(
            orgID: membership.organization.id, handle: try context.parameters.require("handle"), state, actor: visit.actor)
        return Self.redirect(visit.link("agents"), notice: .agentChanged)
    }

    /// A space's runs, or (with `run`) one run's tasks; refreshed every 3 s while the run is not finished.
    @Sendable func runsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let membership = try visit.requireOrganization()
        let query = TableContent.query(request)
        guard let token = query["space"], let space = try await store.space(token: token), space.orgID == membership.organization.id
        else { throw DashboardError.notFound("No such space in this organization.") }
        let paging = try Pagination(request.uri.queryParameters)
        if let runID = query["run"] {
            guard let page = try await store.tasks(runID: runID, spaceRowID: space.rowID, page: paging.page, pageSize: paging.pageSize),
                let run = try await store.runs(spaceRowID: space.rowID, page: 1, pageSize: 1000).items.first(where: { $0.runID == runID })
            else { throw DashboardError.notFound("No such run in this space.") }
            let table = TableContent(
                action: "/dashboard/runs", org: membership.organization.domainHandle,
                hidden: [.text("space", "", query: query), .text("run", "", query: query)], filters: [],
                columns: ["Task", "Contact", "Number", "Status", "Outcome", "Attempts", "Last failure", "Changed"],
                rows: page.items.map { task in
                    [
                        task.taskID, task.input["name"]?.stringValue ?? "", task.input["contact_number"]?.stringValue ?? "",
                        task.status.rawValue, task.output["post_call_data"]?["outcome"]?.stringValue ?? "",
                        String(task.failureCount), task.lastFailureReason ?? "", DashboardFormat.date(task.lastStatusChange),
                    ]
                }, empty: "This run has no tasks.", total: page.count, page: paging.page, pageSize: paging.pageSize, query: query)
            var chrome = visit.chrome("Run \(runID): \(run.status.rawValue)", page: "spaces")
            chrome.refreshSeconds = run.status == .completed || run.status == .failed ? nil : "3"
            return pages.page("table", table, chrome: chrome)
        }
        let runs = try await store.runs(spaceRowID: space.rowID, page: paging.page, pageSize: paging.pageSize)
        let table = TableContent(
            action: "/dashboard/runs", org: membership.organization.domainHandle, hidden: [.text("space", "", query: query)],
            filters: [], columns: ["Run", "Status", "Created", "Changed"],
            rows: runs.items.map { [$0.runID, $0.status.rawValue, DashboardFormat.date($0.created), DashboardFormat.date($0.modified)] },
            links: runs.items.map { visit.link("runs", "space=\(token)&run=\($0.runID)") },
            empty: "No runs yet: create tasks with POST /spaces/\(token)/tasks/.", total: runs.count, page: paging.page,
            pageSize: paging.pageSize, query: query)
        return pages.page("table", table, chrome: visit.chrome("Runs of \(space.space.name)", page: "spaces"))
    }

    struct AnalyticsContent {
        struct Card {
            let label: String
            let value: String
        }

        struct Bar {
            let x: Int
            let y: Int
            let height: Int
            let label: String
            let title: String
        }

        let cards: [Card]
        let bars: [Bar]
        let maximum: Int
        let breakdown: [Card]
    }

    @Sendable func analyticsPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let membership = try visit.requireOrganization()
        let data = try await store.analytics(orgID: membership.organization.id)
        let days = try await store.callsPerDay(orgID: membership.organization.id, days: 14, now: clock.now())
        let maximum = max(1, days.map(\.calls).max() ?? 0)
        let content = AnalyticsContent(
            cards: [
                .init(label: "Total Calls", value: String(data.callAnalytics.totalCalls)),
                .init(label: "Interested Calls", value: String(data.callAnalytics.interested)),
                .init(label: "Not Connected", value: String(data.callAnalytics.notConnected)),
                .init(label: "Avg. Success Score", value: String(format: "%.2f", data.callAnalytics.avgSuccessScore)),
            ],
            bars: days.enumerated().map { index, day in
                let height = day.calls * 160 / maximum
                let label = DashboardFormat.date(day.day).prefix(10).suffix(5)
                return .init(x: 10 + index * 40, y: 180 - height, height: height, label: String(label), title: "\(label): \(day.calls) calls")
            },
            maximum: maximum,
            breakdown: [
                .init(label: "Pending", value: String(data.taskStatusBreakdown.pending)),
                .init(label: "Running", value: String(data.taskStatusBreakdown.running)),
                .init(label: "Completed", value: String(data.taskStatusBreakdown.completed)),
                .init(label: "Failed", value: String(data.taskStatusBreakdown.failed)),
                .init(label: "Success rate", value: String(format: "%.2f %%", data.callStatus.successRate)),
                .init(label: "Avg. duration", value: String(format: "%.0f s", data.avgDurationSeconds)),
            ])
        return pages.page("analytics", content, chrome: visit.chrome("Analytics", page: "analytics"))
    }

    @Sendable func invoicesPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let membership = try visit.requireOrganization()
        let paging = try Pagination(request.uri.queryParameters)
        let page = try await store.invoices(orgID: membership.organization.id, page: paging.page, pageSize: paging.pageSize)
        let table = TableContent(
            action: "/dashboard/invoices", org: membership.organization.domainHandle, filters: [],
            columns: ["Invoice", "Period", "Calls", "Billed", "Amount", "Tax", "Currency", "Status", "Date", "Due"],
            rows: page.items.map { invoice in
                [
                    invoice.invoiceNumber, invoice.period, String(invoice.calls), "\(invoice.billedUnits) \(invoice.billingUnit)s",
                    invoice.amount, invoice.taxAmount, invoice.currency, invoice.status, DashboardFormat.date(invoice.invoiceDate),
                    DashboardFormat.date(invoice.dueDate),
                ]
            }, empty: "No invoices yet. An operator sets a price with unpod billing plan; each month is invoiced once it ends.",
            total: page.count, page: paging.page, pageSize: paging.pageSize, query: TableContent.query(request))
        return pages.page("table", table, chrome: visit.chrome("Invoices", page: "invoices"))
    }
}
