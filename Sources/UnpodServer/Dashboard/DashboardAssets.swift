import Hummingbird
import NIOCore

/// The dashboard's stylesheet and script (`Resources/Dashboard/app.css`, `app.js`), read once and
/// served from memory (no build step, nothing fetched from elsewhere). The script only adds
/// conveniences: copy buttons, confirmations before deleting, the organization switcher
/// submitting itself; every page works without it.
enum DashboardAssets {
    static let css = ByteBuffer(string: DashboardResources.text("app", "css"))
    static let javascript = ByteBuffer(string: DashboardResources.text("app", "js"))

    static func response(_ body: ByteBuffer, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"], body: .init(byteBuffer: body))
    }
}
