import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Spaces and agents (platform-api.md 2.2 and 2.3): SPC-1, SPC-2 with the union of both
/// documented space shapes, AGT-1, and AGT-2 and AGT-3 with their documented 404s (AGT-2's has
/// no `status_code` and no period, AGT-3's has both).
extension APIHandlers {
    func listSpaces(_ input: Operations.ListSpaces.Input) async throws -> Operations.ListSpaces.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.spaces(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Spaces fetched successfully",
                        data: page.items.map(Components.Schemas.Space.init)))))
    }

    func getSpace(_ input: Operations.GetSpace.Input) async throws -> Operations.GetSpace.Output {
        let space = try await WorkspaceLookup.space(
            token: input.path.spaceToken, context: try APIRequestScope.current(), store: store)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Space fetched successfully", data: .init(space.space)))))
    }

    func listAgents(_ input: Operations.ListAgents.Input) async throws -> Operations.ListAgents.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.agents(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Agents fetched successfully",
                        data: page.items.map(Components.Schemas.Agent.init)))))
    }

    func listAgentTasks(_ input: Operations.ListAgentTasks.Input) async throws -> Operations.ListAgentTasks.Output {
        let agent = try await WorkspaceLookup.agent(
            handle: input.path.agentHandle, context: try APIRequestScope.current(), store: store,
            notFound: .agentTasksNotFound)
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.tasks(agentRowID: agent.rowID, page: paging.page, pageSize: paging.pageSize)
        return .ok(.init(body: .json(Self.taskList(page))))
    }

    func listAgentExecutions(_ input: Operations.ListAgentExecutions.Input) async throws
        -> Operations.ListAgentExecutions.Output
    {
        let agent = try await WorkspaceLookup.agent(
            handle: input.path.agentHandle, context: try APIRequestScope.current(), store: store,
            notFound: .notFound("Agent not found."))
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.executions(agentRowID: agent.rowID, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Executions fetched successfully",
                        data: page.items.map(Components.Schemas.Execution.init)))))
    }

    /// A page of tasks as TSK-1, RUN-2 and AGT-2 answer it.
    static func taskList(_ page: Page<CallTask>) -> Components.Schemas.TaskList {
        .init(
            count: page.count, statusCode: ._200, message: "Tasks Fetched Successfully",
            data: page.items.map(Components.Schemas.Task.init))
    }
}

extension Components.Schemas.Space {
    init(_ space: Space) {
        self.init(
            id: space.id, name: space.name, slug: space.slug, token: space.token, description: space.description,
            logo: .init(space.logo), privacyType: space.privacyType, spaceType: space.spaceType,
            contentType: space.contentType,
            organization: .init(name: space.organization.name, domainHandle: space.organization.domainHandle),
            agentHandle: .init(space.agentHandle), createdAt: space.createdAt)
    }
}

extension Components.Schemas.Agent {
    init(_ agent: Agent) {
        self.init(handle: agent.handle, name: agent.name, _type: agent.type, state: agent.state, purpose: agent.purpose)
    }
}

extension Components.Schemas.Execution {
    init(_ execution: Execution) {
        self.init(
            runId: execution.runID, status: execution.status, totalTasks: execution.totalTasks,
            completedTasks: execution.completedTasks, created: execution.created)
    }
}
