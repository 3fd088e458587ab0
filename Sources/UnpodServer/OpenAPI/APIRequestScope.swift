import HTTPTypes
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
        /// The request's head as it arrived (the presented key, the authority).
        let head: HTTPRequest
        /// The body's bytes once read (``LenientRequestMiddleware``), for the operations whose
        /// answer depends on them exactly (an `Idempotency-Key` is bound to the bytes sent).
        let body: [UInt8]?

        init(_ context: AppRequestContext, head: HTTPRequest, body: [UInt8]? = nil) {
            self.context = context
            self.head = head
            self.body = body
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

    /// The request's head (a missing one is a routing mistake, not a client's).
    static func head() throws -> HTTPRequest {
        guard let box else { throw APIError.internalError }
        return box.head
    }

    /// The body's bytes as sent; empty when there was none.
    static func bodyBytes() -> [UInt8] {
        box?.body ?? []
    }

    static func run<Result>(
        with context: AppRequestContext, head: HTTPRequest, body bytes: [UInt8]? = nil, _ operation: () async throws -> Result
    ) async rethrows -> Result {
        try await $box.withValue(Box(context, head: head, body: bytes), operation: operation)
    }
}
