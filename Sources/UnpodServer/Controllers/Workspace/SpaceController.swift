import Hummingbird
import UnpodCore
import UnpodPersistence

/// SPC-1 `GET /spaces/` and SPC-2 `GET /spaces/{space_token}/` (platform-api.md 2.2), with the
/// union of both documented space shapes.
struct SpaceController {
    static let notFound = APIError.notFound("Space not found.")

    let store: SQLStore

    func addRoutes(toOrganizationGroup organization: GuardedRoutes, resourceGroup: GuardedRoutes) {
        organization.get("spaces", use: list)
        resourceGroup.get("spaces/:space_token", use: show)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let paging = try Pagination(request.uri.queryParameters)
        let page = try await store.spaces(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(ListEnvelope(count: page.count, message: "Spaces fetched successfully", data: page.items))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let space = try await Self.space(context, store: store)
        return JSONResponse.make(ObjectEnvelope(message: "Space fetched successfully", data: space.space))
    }

    /// The space named by the path, if the caller may see it; else 404 `Space not found.`.
    static func space(_ context: AppRequestContext, store: SQLStore) async throws -> SpaceRecord {
        let token = try context.parameters.require("space_token")
        guard let space = try await store.space(token: token), context.membership(owning: space.orgID) != nil else {
            throw notFound
        }
        return space
    }
}

/// AGT-1 `GET /agents/`, AGT-2 `GET /agents/{agent_handle}/tasks/` and AGT-3
/// `GET /agents/{agent_handle}/executions/` (platform-api.md 2.3), with their documented 404s:
/// AGT-2's has no `status_code` and no period, AGT-3's has both.
struct AgentController {
    let store: SQLStore

    func addRoutes(toOrganizationGroup organization: GuardedRoutes, resourceGroup: GuardedRoutes) {
        organization.get("agents", use: list)
        resourceGroup.get("agents/:agent_handle/tasks", use: tasks)
        resourceGroup.get("agents/:agent_handle/executions", use: executions)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        let paging = try Pagination(request.uri.queryParameters)
        let page = try await store.agents(orgID: organization.id, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(ListEnvelope(count: page.count, message: "Agents fetched successfully", data: page.items))
    }

    @Sendable func tasks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agent = try await agent(context, notFound: .agentTasksNotFound)
        let paging = try Pagination(request.uri.queryParameters)
        let page = try await store.tasks(agentRowID: agent.rowID, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(ListEnvelope(count: page.count, message: "Tasks Fetched Successfully", data: page.items))
    }

    @Sendable func executions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let agent = try await agent(context, notFound: .notFound("Agent not found."))
        let paging = try Pagination(request.uri.queryParameters)
        let page = try await store.executions(agentRowID: agent.rowID, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(ListEnvelope(count: page.count, message: "Executions fetched successfully", data: page.items))
    }

    private func agent(_ context: AppRequestContext, notFound: APIError) async throws -> AgentRecord {
        let handle = try context.parameters.require("agent_handle")
        guard let agent = try await store.agent(handle: handle), context.membership(owning: agent.orgID) != nil else {
            throw notFound
        }
        return agent
    }
}
