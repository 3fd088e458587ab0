import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Where the generated server registers its operations: the application's router (so the
/// exact-path table and Hummingbird's trie answer them as any other route, with the same
/// middleware), each operation's responder running inside ``APIRequestScope``.
///
/// swift-openapi-hummingbird's `ServerTransport` conformance for `RouterMethods` turns each
/// operation into a route here; `Router` itself cannot carry the context into the generated code.
struct OpenAPIRoutes<Parent: RouterMethods<AppRequestContext>>: RouterMethods, ServerTransport {
    typealias Context = AppRequestContext

    let parent: Parent

    @discardableResult func on<Responder: HTTPResponder>(
        _ path: RouterPath, method: HTTPRequest.Method, responder: Responder
    ) -> Self where Responder.Context == Context {
        parent.on(path, method: method, responder: ScopedResponder(responder: responder))
        return self
    }

    @discardableResult func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        parent.add(middleware: middleware)
        return self
    }
}

/// One operation's route: its responder with the request's context bound.
struct ScopedResponder<Wrapped: HTTPResponder<AppRequestContext>>: HTTPResponder {
    let responder: Wrapped

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        var context = context
        context.forwardedFor = request.headers.value(.xForwardedFor)
        context.requestURI = request.uri
        return try await APIRequestScope.$context.withValue(context) {
            try await responder.respond(to: request, context: context)
        }
    }
}
