import HTTPTypes
import Hummingbird
import UnpodCore

/// Wraps every dashboard page: the security headers (a Content-Security-Policy that allows no
/// inline script and nothing from another origin, no framing, no caching of pages that may hold
/// a token), and errors answered as an HTML page or a redirect, never the API's JSON envelope.
struct DashboardMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    let pages: DashboardPages

    func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as DashboardError {
            response = pages.errorPage(error.message, status: error.status)
            switch error {
            case .redirect(let location): response = Response(status: .seeOther, headers: [.location: location])
            case .throttled(_, let seconds): response.headers[.retryAfter] = String(seconds)
            default: break
            }
        } catch {
            let apiError = APIError(error, logger: context.logger, uploadLimit: context.maxUploadSize)
            let message = [apiError.message, apiError.errors].compactMap { $0 }.joined(separator: ": ")
            response = pages.errorPage(message, status: .init(code: apiError.statusCode))
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
