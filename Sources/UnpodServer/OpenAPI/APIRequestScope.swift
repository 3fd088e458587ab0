import Hummingbird
import Logging
import UnpodCore

/// The Hummingbird context of the request the generated server is answering.
///
/// The generated server hands middleware and handlers HTTP types only; what they also need (the
/// TCP peer for throttling and audit, the request id, the logger, and once authenticated the
/// caller and its organization) travels in this task-local value. ``OpenAPIRoutes`` binds it
/// around each operation, ``AccessMiddleware`` binds it again with the caller filled in.
///
/// The context rides in a class, so that binding and reading it is a reference, not a copy of
/// the whole context (measured: the copies were a visible share of the generated path).
enum APIRequestScope {
    final class Box: Sendable {
        let context: AppRequestContext

        init(_ context: AppRequestContext) {
            self.context = context
        }
    }

    @TaskLocal static var box: Box?

    /// The context of the current operation (a missing one is a routing mistake, not a client's).
    static func current() throws -> AppRequestContext {
        guard let box else { throw APIError.internalError }
        return box.context
    }

    /// The caller, read in place (the auth check has run before any handler or later middleware).
    static func caller() throws -> Caller {
        guard let caller = box?.context.caller else { throw APIError.notAuthenticated }
        return caller
    }

    static func run<Result>(with context: AppRequestContext, _ body: () async throws -> Result) async rethrows -> Result {
        try await $box.withValue(Box(context), operation: body)
    }
}
