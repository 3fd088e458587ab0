import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Renders the dashboard's pages: a page's own template, then the layout around it.
///
/// The templates are files (`Resources/Dashboard/*.mustache`), bundled with the binary and read
/// once at start (``DashboardResources``). Mustache escapes every `{{value}}` for HTML; only the rendered page body and
/// the sidebar's fixed icons go in unescaped.
struct DashboardPages: Sendable {
    private let library: MustacheLibrary

    /// Every template a page renders with.
    static let templates = [
        "layout", "sign-in", "hub", "api-keys", "settings", "table", "password", "error", "spaces", "agents", "analytics",
        "call", "test-call", "webhooks", "webhook",
    ]

    init() {
        var library = MustacheLibrary()
        for name in Self.templates {
            // The templates ship with this binary: one that does not parse is a programming error.
            let text = DashboardResources.text(name, "mustache")
            do { try library.register(text, named: name) } catch { fatalError("dashboard template \(name): \(error)") }
        }
        self.library = library
    }

    /// A whole page: `template` rendered with `content`, inside the layout with `chrome`.
    func page(_ template: String, _ content: Any, chrome: Chrome, status: HTTPResponse.Status = .ok) -> Response {
        let body = library.render(content, withTemplate: template) ?? ""
        let html = library.render(Layout(chrome: chrome, body: body), withTemplate: "layout") ?? ""
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// An error page: the message, and a way back.
    func errorPage(_ message: String, status: HTTPResponse.Status) -> Response {
        page(
            "error", ErrorContent(status: Int(status.code), reason: Self.reason(status), message: message),
            chrome: Chrome(title: Self.reason(status)), status: status)
    }

    /// A status made from a bare code has no reason phrase: the common ones, spelled out.
    private static func reason(_ status: HTTPResponse.Status) -> String {
        if !status.reasonPhrase.isEmpty { return status.reasonPhrase }
        return switch status.code {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 429: "Too Many Requests"
        default: "Error"
        }
    }

    private struct Layout {
        let chrome: Chrome
        let body: String
    }

    private struct ErrorContent {
        let status: Int
        let reason: String
        let message: String
    }
}

/// One `<option>` of a form's `<select>`.
struct Choice {
    let value: String
    let label: String
    let selected: Bool

    init(value: String, label: String? = nil, selected: Bool) {
        self.value = value
        self.label = label ?? value
        self.selected = selected
    }
}

/// What the layout shows around a page: the title, and for a signed-in user the sidebar, the
/// organization switcher and the sign-out form.
struct Chrome {
    struct NavItem {
        let id: String
        let label: String
        let href: String
        let icon: String
        let active: Bool
    }

    struct OrganizationOption {
        let handle: String
        let name: String
        let selected: Bool
    }

    var title: String
    var signedIn = false
    var email = ""
    var csrf = ""
    var nav: [NavItem] = []
    var organizations: [OrganizationOption] = []
    var currentPath = ""
    var notice: String?
    /// Seconds after which the page reloads itself (a run still in progress); nil for none.
    var refreshSeconds: String?
}
