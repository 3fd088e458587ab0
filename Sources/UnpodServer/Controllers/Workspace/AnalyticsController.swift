import Hummingbird
import UnpodCore
import UnpodPersistence

/// ANA-1 `GET /organisation/analytics/[?space_token=…]` (platform-api.md 2.7): both documented
/// shapes in one `data`, from the organization's contact spaces or one space.
struct AnalyticsController {
    let store: SQLStore

    func addRoutes(to group: GuardedRoutes) {
        group.get("organisation/analytics", use: show)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organization = try context.requireMembership().organization
        var spaceRowID: Int?
        if let token = request.uri.queryParameters["space_token"] {
            guard let space = try await store.space(token: String(token)), space.orgID == organization.id else {
                throw SpaceController.notFound
            }
            spaceRowID = space.rowID
        }
        let analytics = try await store.analytics(orgID: organization.id, spaceRowID: spaceRowID)
        return JSONResponse.make(ObjectEnvelope(message: "Analytics fetched successfully", data: analytics))
    }
}
