import HTTPTypes
import Hummingbird
import HummingbirdCore
import OpenAPIRuntime
import UnpodCore

/// Path and query parameters checked by the platform's own rules, with its own words, before the
/// generated code reads them. `?page=abc` is answered `page must be an integer from 1 to
/// 2147483647` and `?call_type=x` `call_type must be inbound or outbound`, as they always were,
/// and a path id that is not a positive number names nothing (404, like an unknown one); the
/// generated decoder would answer 400 saying only that a value did not decode. Requests without
/// a query pay one byte search.
struct InputRulesMiddleware: ServerMiddleware {
    typealias Query = FlatDictionary<Substring, Substring>

    /// The query checks beyond `page` and `page_size`, by operation: the same functions the
    /// handlers read their filters with.
    static let queryRules: [String: @Sendable (Query) throws -> Void] = [
        "listCallLogs": { _ = try CallLogRules.filter($0) },
        "listAuditEvents": { _ = try AuditQuery($0) },
        "listNumbers": { _ = try NumberRules.includeAssigned($0) },
    ]

    /// Numeric path ids, by operation: the parameter, and what an unknown one is answered.
    static let pathIDs: [String: (name: String, notFound: APIError)] = [
        "getProviderConfiguration": ("id", APIHandlers.configurationNotFound),
        "updateProviderConfiguration": ("id", APIHandlers.configurationNotFound),
        "deleteProviderConfiguration": ("id", APIHandlers.configurationNotFound),
        "getTrunk": ("trunk_id", APIHandlers.trunkNotFound),
        "deleteTrunk": ("trunk_id", APIHandlers.trunkNotFound),
        "attachTrunkNumbers": ("trunk_id", APIHandlers.trunkNotFound),
        "detachTrunkNumbers": ("trunk_id", APIHandlers.trunkNotFound),
    ]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if let rule = Self.pathIDs[operationID] {
            guard let text = metadata.pathParameters[rule.name], let id = Int(text), id > 0 else { throw rule.notFound }
        }
        if let path = request.path, path.utf8.contains(UInt8(ascii: "?")) {
            let query = URI(path).queryParameters
            _ = try Pagination(query)
            try Self.queryRules[operationID]?(query)
        }
        return try await next(request, body, metadata)
    }
}
