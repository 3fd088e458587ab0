import Hummingbird
import NIOCore
import UnpodCore

/// ORG-1 `GET /organizations/`: the organizations the key may act in (platform-api.md 2.1).
///
/// The answer is rendered once per key when it enters the auth cache (``Caller``) and served from
/// there: no database round trip and no JSON encoding on the request path.
struct OrganizationController {
    func addRoutes(to group: GuardedRoutes) {
        group.get("organizations", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        JSONResponse.make(body: try context.requireCaller().organizationListBody)
    }

    static func render(_ organizations: [OrganizationSummary]) -> ByteBuffer {
        JSONResponse.encode(
            ListEnvelope(count: organizations.count, message: "Organizations fetched successfully", data: organizations))
    }
}
