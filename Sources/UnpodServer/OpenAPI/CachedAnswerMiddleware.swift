import HTTPTypes
import OpenAPIRuntime
import Synchronization
import UnpodAPI
import UnpodCore

/// Answers kept in memory, served before the handler runs: `GET /organizations/` per cached key
/// (integrations call it on every start, and its answer changes only with memberships, which
/// drop the key from the auth cache and this answer with it). The first call per key runs the
/// handler; its encoded body is kept and sent as is from then on, with no JSON encoding.
struct CachedAnswerMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == Operations.ListOrganizations.id else { return try await next(request, body, metadata) }
        let caller = try APIRequestScope.current().requireCaller()
        if let kept = caller.organizationListBody.withLock({ $0 }) {
            return (Self.okJSON, HTTPBody(kept))
        }
        let (response, answer) = try await next(request, body, metadata)
        guard response.status == .ok, let answer else { return (response, answer) }
        let bytes = try await [UInt8](collecting: answer, upTo: .max)
        caller.organizationListBody.withLock { $0 = bytes }
        return (response, HTTPBody(bytes))
    }

    private static let okJSON = HTTPResponse(status: .ok, headerFields: [.contentType: "application/json"])
}
