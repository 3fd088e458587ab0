import Hummingbird
import UnpodCore

/// Refuses a body announced larger than the limit before any of it is read, and gives handlers
/// the limit for bodies without a length (chunked), which `collect(upTo:)` then enforces.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let maxBodySize: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let length = request.headers.value(.contentLength), let bytes = Int(length), bytes > maxBodySize {
            throw APIError.payloadTooLarge(limit: maxBodySize)
        }
        var context = context
        context.maxUploadSize = maxBodySize
        return try await next(request, context)
    }
}
