import Hummingbird
import UnpodCore

/// ORG-1 `GET /organizations/`: the organizations the key may act in (platform-api.md 2.1).
/// Served from the cached caller, so it costs no database round trip.
struct OrganizationController {
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("organizations", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let organizations = try context.requireCaller().memberships.map(\.organization)
        return JSONResponse.make(
            ListEnvelope(
                count: organizations.count, message: "Organizations fetched successfully", data: organizations))
    }
}
