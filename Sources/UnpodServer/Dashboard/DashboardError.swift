import Hummingbird

/// What a dashboard handler answers instead of its page: a redirect, or a page with a message.
/// ``DashboardMiddleware`` turns it (and any API or store error) into HTML, never the JSON envelope.
enum DashboardError: Error {
    /// 303 to another dashboard page (a signed-out visitor, or after a form).
    case redirect(String)
    /// 400 with the message shown on an error page.
    case badRequest(String)
    /// 403: a signed-in user who may not do this, or a form without its CSRF token.
    case forbidden(String)
    case notFound(String)
    /// 429 with the seconds to wait.
    case throttled(String, retryAfter: Int)

    var status: HTTPResponse.Status {
        switch self {
        case .redirect: .seeOther
        case .badRequest: .badRequest
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .throttled: .tooManyRequests
        }
    }

    var message: String {
        switch self {
        case .redirect: ""
        case .badRequest(let message), .forbidden(let message), .notFound(let message), .throttled(let message, _):
            message
        }
    }
}
