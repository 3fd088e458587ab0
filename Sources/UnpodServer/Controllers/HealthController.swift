import Hummingbird
import NIOCore

/// `GET /healthz`: no authentication, no database; tells a load balancer the process serves.
struct HealthController {
    private static let body = ByteBuffer(string: #"{"ok":true}"#)

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: Self.body))
        }
    }
}
