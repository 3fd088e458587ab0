import HTTPTypes
import Hummingbird
import HummingbirdCore
import OpenAPIRuntime

/// Query parameters checked by the platform's own rules, with its own words, before the generated
/// code reads them: `?page=abc` is answered `page must be an integer from 1 to 2147483647` and
/// `?call_type=x` `call_type must be inbound or outbound`, as they always were; the generated
/// decoder would only say that a value did not decode, without naming it. Requests without a
/// query pay one byte search.
struct QueryRulesMiddleware: ServerMiddleware {
    typealias Query = FlatDictionary<Substring, Substring>

    /// The checks beyond `page` and `page_size`, by operation: the same functions the handlers read
    /// their filters with.
    static let rules: [String: @Sendable (Query) throws -> Void] = [
        "listCallLogs": { _ = try CallLogRules.filter($0) },
        "listAuditEvents": { _ = try AuditQuery($0) },
    ]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if let path = request.path, path.utf8.contains(UInt8(ascii: "?")) {
            let query = URI(path).queryParameters
            _ = try Pagination(query)
            try Self.rules[operationID]?(query)
        }
        return try await next(request, body, metadata)
    }
}
