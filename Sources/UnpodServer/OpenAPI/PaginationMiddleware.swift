import HTTPTypes
import Hummingbird
import HummingbirdCore
import OpenAPIRuntime

/// `page` and `page_size` checked by the platform's own rule (``Pagination``) before the generated
/// code reads them, so a list answers `page must be an integer from 1 to 2147483647` for
/// `?page=abc` as it always has; the generated decoder would only say that a value did not
/// decode. Requests without a query pay one byte search.
struct PaginationMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if let path = request.path, path.utf8.contains(UInt8(ascii: "?")) {
            _ = try Pagination(URI(path).queryParameters)
        }
        return try await next(request, body, metadata)
    }
}
