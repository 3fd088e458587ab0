import Foundation
import UnpodAPI
import UnpodCore

/// Spaces, agents, tasks and runs (issue 9), analytics and billing, through the generated client.
/// Lists return one page with the true `count`.
extension UnpodClient {
    public func spaces(page: Int = 1, pageSize: Int = 20) async throws -> Schemas.SpaceList {
        try await call {
            try await api.listSpaces(query: .init(page: page, pageSize: pageSize), headers: .init(orgHandle: organization)).ok
                .body.json
        }
    }

    public func space(_ token: String) async throws -> Schemas.Space {
        try await call { try await api.getSpace(path: .init(spaceToken: token)).ok.body.json.data }
    }

    public func agents(page: Int = 1, pageSize: Int = 20) async throws -> Schemas.AgentList {
        try await call {
            try await api.listAgents(query: .init(page: page, pageSize: pageSize), headers: .init(orgHandle: organization)).ok
                .body.json
        }
    }

    /// TSK-2: one run and one task per document (each an object with `name` and
    /// `contact_number`, stored whole), carried out by the agent `pilot` now or from `scheduledAt`.
    public func createTasks(
        inSpace token: String, pilot: String, documents: [JSONValue], context: String? = nil, scheduledAt: Date? = nil
    ) async throws -> Schemas.CreatedRun {
        let body = Schemas.CreateTasksRequest(
            pilot: pilot, documents: documents, context: context,
            schedule: scheduledAt.map { .init(_type: .at, time: $0) })
        return try await call {
            try await api.createTasks(path: .init(spaceToken: token), body: .json(body)).ok.body.json.data
        }
    }

    public func tasks(inSpace token: String, page: Int = 1, pageSize: Int = 20) async throws -> Schemas.TaskList {
        try await call {
            try await api.listSpaceTasks(path: .init(spaceToken: token), query: .init(page: page, pageSize: pageSize)).ok.body.json
        }
    }

    public func runs(inSpace token: String, page: Int = 1, pageSize: Int = 20) async throws -> Schemas.RunList {
        try await call {
            try await api.listRuns(path: .init(spaceToken: token), query: .init(page: page, pageSize: pageSize)).ok.body.json
        }
    }

    public func tasks(ofRun runID: String, inSpace token: String, page: Int = 1, pageSize: Int = 20) async throws
        -> Schemas.TaskList
    {
        try await call {
            try await api.listRunTasks(path: .init(spaceToken: token, runId: runID), query: .init(page: page, pageSize: pageSize))
                .ok.body.json
        }
    }

    public func executions(ofAgent handle: String, page: Int = 1, pageSize: Int = 20) async throws -> Schemas.ExecutionList {
        try await call {
            try await api.listAgentExecutions(path: .init(agentHandle: handle), query: .init(page: page, pageSize: pageSize)).ok
                .body.json
        }
    }

    /// ANA-1, for the organization's contact spaces or one space.
    public func analytics(spaceToken: String? = nil) async throws -> Schemas.Analytics {
        try await call {
            try await api.getAnalytics(query: .init(spaceToken: spaceToken), headers: .init(orgHandle: organization)).ok.body.json
                .data
        }
    }

    /// BIL-1: invoices, newest first.
    public func invoices(page: Int = 1, pageSize: Int = 20) async throws -> Schemas.InvoiceList {
        try await call {
            try await api.listInvoices(query: .init(page: page, pageSize: pageSize), headers: .init(orgHandle: organization)).ok
                .body.json
        }
    }
}
