import Hummingbird
import UnpodCore

/// After any write request in an organization (whatever its outcome: a failed write may still
/// have committed part of its work, such as a partial attach), that organization's cached lists
/// are dropped on this node. It sits inside ``AuthMiddleware``, where the organization is known,
/// and runs after the handler, when the store's transaction has committed.
struct ListCacheInvalidationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let cache: ListCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method != .get, request.method != .head, let orgID = context.membership?.organization.id else {
            return try await next(request, context)
        }
        defer { cache.invalidate(orgID: orgID) }
        return try await next(request, context)
    }
}
