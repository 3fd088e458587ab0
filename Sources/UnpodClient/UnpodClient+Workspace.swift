import Foundation
import UnpodAPI
import UnpodCore

/// Spaces, agents, tasks and runs (issue 9). Lists return one page with the true `count`.
extension UnpodClient {
    public func spaces(page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<Space> {
        try await send("GET", "spaces/", query: paging(page, pageSize), as: ListEnvelope<Space>.self)
    }

    public func space(_ token: String) async throws -> Space {
        try await send("GET", "spaces/\(token)/", as: ObjectEnvelope<Space>.self).data
    }

    public func agents(page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<Agent> {
        try await send("GET", "agents/", query: paging(page, pageSize), as: ListEnvelope<Agent>.self)
    }

    /// TSK-2: one run and one task per document (each an object with `name` and
    /// `contact_number`, stored whole), carried out by the agent `pilot` now or from `scheduledAt`.
    public func createTasks(
        inSpace token: String, pilot: String, documents: [JSONValue], context: String? = nil, scheduledAt: Date? = nil
    ) async throws -> CreatedRun {
        let body = Components.Schemas.CreateTasksRequest(
            pilot: pilot, documents: documents, context: context,
            schedule: scheduledAt.map { .init(_type: .at, time: $0) })
        let created = try await call {
            try await api.createTasks(path: .init(spaceToken: token), body: .json(body)).ok.body.json.data
        }
        return CreatedRun(runID: created.runId, taskIDs: created.taskIds, status: .pending)
    }

    public func tasks(inSpace token: String, page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<CallTask> {
        try await send("GET", "spaces/\(token)/tasks/", query: paging(page, pageSize), as: ListEnvelope<CallTask>.self)
    }

    public func runs(inSpace token: String, page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<Run> {
        try await send("GET", "spaces/\(token)/runs/", query: paging(page, pageSize), as: ListEnvelope<Run>.self)
    }

    public func tasks(ofRun runID: String, inSpace token: String, page: Int = 1, pageSize: Int = 20) async throws
        -> ListEnvelope<CallTask>
    {
        try await send("GET", "spaces/\(token)/runs/\(runID)/tasks/", query: paging(page, pageSize), as: ListEnvelope<CallTask>.self)
    }

    public func executions(ofAgent handle: String, page: Int = 1, pageSize: Int = 20) async throws -> ListEnvelope<Execution> {
        try await send("GET", "agents/\(handle)/executions/", query: paging(page, pageSize), as: ListEnvelope<Execution>.self)
    }

    /// ANA-1, for the organization's contact spaces or one space.
    public func analytics(spaceToken: String? = nil) async throws -> Analytics {
        try await send(
            "GET", "organisation/analytics/", query: spaceToken.map { [("space_token", $0)] } ?? [],
            as: ObjectEnvelope<Analytics>.self
        ).data
    }

    /// BIL-1: invoices, newest first.
    public func invoices(page: Int = 1, pageSize: Int = 20) async throws -> InvoiceList {
        try await send("GET", "organisation/billing/", query: paging(page, pageSize), as: InvoiceList.self)
    }
}
