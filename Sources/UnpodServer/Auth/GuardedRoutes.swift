import HTTPTypes
import Hummingbird

/// The API's routes, each behind ``AuthGuard`` with its ``AccessPolicy``: what a `RouterGroup`
/// with the guard as its middleware did, in fewer steps. Hummingbird runs a group's middleware
/// through its own responder, an existential call, a closure and a partial application, each an
/// async frame with its executor checks; here the route's responder calls the guard, and the
/// guard calls the handler. The auth check sits on every request, so this is measured in
/// `scripts/bench.sh`.
struct GuardedRoutes {
    typealias Handler = @Sendable (Request, AppRequestContext) async throws -> Response

    /// Where the routes go (`/api/v2/platform`), and the check in front of each.
    let parent: RouterGroup<AppRequestContext>
    let check: AuthGuard

    @discardableResult func post(_ path: RouterPath, use handler: @escaping Handler) -> Self {
        on(path, method: .post, handler)
    }

    private func on(_ path: RouterPath, method: HTTPRequest.Method, _ handler: @escaping Handler) -> Self {
        parent.on(path, method: method, responder: GuardedResponder(check: check, handler: handler))
        return self
    }
}

/// One route: the check, then its handler.
struct GuardedResponder: HTTPResponder {
    let check: AuthGuard
    let handler: GuardedRoutes.Handler

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        try await check.handle(request, context: context, next: handler)
    }
}
