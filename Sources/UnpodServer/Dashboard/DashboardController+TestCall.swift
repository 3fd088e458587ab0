import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// A test call from the dashboard (issue 17, item 6): a web call to one of the organization's
/// agents, the signed-in member speaking for the caller in the page. It is a call like any other:
/// audited, answered by the agent's runner or brain, listed in Calls once it has ended.
extension DashboardController {
    @Sendable func startTestCall(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let organization = try visit.requireOrganization().organization
        let handle = try context.parameters.require("handle")
        guard let agent = try await store.agent(handle: handle), agent.orgID == organization.id, agent.agent.state == .published else {
            throw DashboardError.notFound("No such agent.")
        }
        var generator = SystemRandomNumberGenerator()
        let token = "cs_" + Base62.random(count: 40, using: &generator)
        let call = try await store.createCall(
            NewCall(orgID: organization.id, agent: agent, direction: "web", data: .object(["source": .string("dashboard")]), callerToken: token,
                nodeID: calls.nodeID),
            actor: visit.actor)
        let base = WebSocketBase(publicURL: publicURL).url(authority: request.head.authority)
        await calls.start(call, agentRowID: agent.rowID)
        let content = TestCallPage(
            agent: handle, callID: call.callID, mediaURL: base + CallerProtocol.pathPrefix + call.callID + CallerProtocol.pathSuffix,
            token: token, callLink: "/dashboard/calls/\(call.callID)?org=\(organization.domainHandle)")
        var response = pages.page("test-call", content, chrome: visit.chrome("Test call", page: "agents"))
        // The page holds a caller token: not to be kept by any cache.
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
