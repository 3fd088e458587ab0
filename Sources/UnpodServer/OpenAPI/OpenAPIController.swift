import Hummingbird
import NIOCore
import UnpodAPI

/// `GET /api/v2/platform/openapi.json`: the API description the server and SDK are generated
/// from, as bundled, without authentication, so that a user can generate a client from the server
/// they run.
struct OpenAPIController {
    private static let body = ByteBuffer(bytes: APIDocument.bytes)

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: Self.body))
        }
    }
}
