import HTTPTypes
import HummingbirdCore
import NIOCore
import OpenAPIRuntime
import Synchronization
import UnpodAPI
import UnpodCore

/// Answers kept in memory, served before the handler runs, with no query and no JSON encoding:
/// - `GET /organizations/` per cached key (integrations call it on every start; its answer
///   changes only with memberships, which drop the key from the auth cache and this answer too);
/// - list pages that integrations poll (`GET /call-logs/`, `GET /telephony/bridges/`), per
///   organization and query string, in the ``ListCache``, whose versions drop a page once the
///   organization's data changes.
/// The first call runs the handler; its encoded body is kept and sent as is from then on.
struct CachedAnswerMiddleware: ServerMiddleware {
    let lists: ListCache

    /// The lists served from the ``ListCache``, by operation id.
    static let cachedLists: Set<String> = [Operations.ListCallLogs.id, Operations.ListBridges.id]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if operationID == Operations.ListOrganizations.id {
            return try await organizations(request, body, metadata, next)
        }
        guard Self.cachedLists.contains(operationID), let box = APIRequestScope.box,
            let orgID = box.context.membership?.organization.id
        else { return try await next(request, body, metadata) }
        let key = ListCache.Key(orgID: orgID, list: operationID, query: box.context.requestURI?.query ?? "")
        if let kept = lists.body(for: key) { return (Self.okJSON, HTTPBody(kept.readableBytesView)) }
        let version = lists.version(orgID: orgID)
        let (response, answer) = try await next(request, body, metadata)
        guard response.status == .ok, let answer else { return (response, answer) }
        let bytes = try await [UInt8](collecting: answer, upTo: .max)
        lists.store(ByteBuffer(bytes: bytes), for: key, readAt: version)
        return (response, HTTPBody(bytes))
    }

    private func organizations(
        _ request: HTTPRequest, _ body: HTTPBody?, _ metadata: ServerRequestMetadata,
        _ next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let caller = try APIRequestScope.caller()
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
