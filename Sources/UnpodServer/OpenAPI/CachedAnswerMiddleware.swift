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
        let kept = try await lists.response(for: key) {
            ByteBuffer(bytes: try await Self.okBody(next(request, body, metadata)))
        }
        return (Self.okJSON, HTTPBody(kept.readableBytesView))
    }

    private func organizations(
        _ request: HTTPRequest, _ body: HTTPBody?, _ metadata: ServerRequestMetadata,
        _ next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let caller = try APIRequestScope.caller()
        if let kept = caller.organizationListBody.withLock({ $0 }) {
            return (Self.okJSON, HTTPBody(kept))
        }
        let bytes = try await Self.okBody(next(request, body, metadata))
        caller.organizationListBody.withLock { $0 = bytes }
        return (Self.okJSON, HTTPBody(bytes))
    }

    /// A kept operation's encoded answer. Such an operation answers 200 or throws (its errors are
    /// thrown as ``APIError``): any other status would be a bug, not something to keep.
    private static func okBody(_ answer: (HTTPResponse, HTTPBody?)) async throws -> [UInt8] {
        guard answer.0.status == .ok else { throw APIError.internalError }
        guard let body = answer.1 else { return [] }
        return try await [UInt8](collecting: body, upTo: .max)
    }

    private static let okJSON = HTTPResponse(status: .ok, headerFields: [.contentType: "application/json"])
}
