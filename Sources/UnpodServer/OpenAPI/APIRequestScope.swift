import Hummingbird
import Logging
import UnpodCore

/// The Hummingbird context of the request the generated server is answering.
///
/// The generated server hands middleware and handlers HTTP types only; what they also need (the
/// TCP peer for throttling and audit, the request id, the logger, and once authenticated the
/// caller and its organization) travels in this task-local value. ``OpenAPIRoutes`` binds it
/// around each operation, ``AccessMiddleware`` binds it again with the caller filled in.
enum APIRequestScope {
    @TaskLocal static var context: AppRequestContext?

    /// The context of the current operation (a missing one is a routing mistake, not a client's).
    static func current() throws -> AppRequestContext {
        guard let context else { throw APIError.internalError }
        return context
    }
}
