import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import UnpodServer

/// The exact-path table in front of Hummingbird's trie answers every request the way the router
/// alone does: same status, body, endpoint (what metrics label by) and middleware, for paths in
/// the table, their other spellings, parameter routes beside them, methods a path lacks, errors.
@Suite struct ExactPathRoutingTests {
    /// Stamps the matched endpoint on every answer, as the metrics middleware reads it.
    struct EndpointHeader<Context: RequestContext>: RouterMiddleware {
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
            -> Response
        {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("X-Endpoint")!] = context.endpointPath ?? "none"
            return response
        }
    }

    /// A group's own middleware, to show it wraps the group's routes on the fast path too.
    struct GroupHeader<Context: RequestContext>: RouterMiddleware {
        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
            -> Response
        {
            var response = try await next(request, context)
            response.headers[HTTPField.Name("X-Group")!] = "api"
            return response
        }
    }

    struct NotAnHTTPError: Error {}

    static func addRoutes(to router: some RouterMethods<BasicRequestContext>) {
        router.addMiddleware { EndpointHeader() }
        router.get("/") { _, _ in "root" }
        router.get("healthz") { _, _ in "health" }
        router.get("spaces/stats") { _, _ in "stats" }
        router.post("spaces/stats") { _, _ in "stats-post" }
        router.get("spaces/{id}") { _, context in "space \(context.parameters.get("id") ?? "?")" }
        router.get("spaces/{id}/agents") { _, context in "agents of \(context.parameters.get("id") ?? "?")" }
        router.get("a/b/c") { _, _ in "abc" }
        router.get("a/{x}") { _, context in "a \(context.parameters.get("x") ?? "?")" }
        let api = router.group("api/v2").add(middleware: GroupHeader())
        api.get("things/") { _, _ in "things" }
        api.get("fails") { _, _ -> String in throw HTTPError(.badRequest, message: "no") }
        api.get("breaks") { _, _ -> String in throw NotAnHTTPError() }
    }

    static let targets = [
        "/", "/healthz", "/healthz/", "/healthz?x=1", "/healthz/?", "//healthz", "/Healthz", "/healthz//", "/healthzz",
        "/spaces/stats", "/spaces/stats/", "/spaces/stats?a=b", "/spaces/%73tats", "/spaces/abc", "/spaces/abc/",
        "/spaces/stats/agents", "/spaces/x/agents", "/a/b", "/a/b/c", "/a/b/c/", "/a/q", "/nope", "/api/v2/things",
        "/api/v2/things/", "/api/v2/things?q", "/api/v2/fails", "/api/v2/breaks", "/api/v2",
    ]

    @Test func answersExactlyAsTheRouterAlone() async throws {
        let plain = Router()
        Self.addRoutes(to: plain)
        let exact = ExactPathRouter(Router())
        Self.addRoutes(to: exact)
        let plainApp = Application(router: plain)
        let exactApp = Application(router: exact)
        try await plainApp.test(.live) { plainClient in
            try await exactApp.test(.live) { exactClient in
                var compared = 0
                for target in Self.targets {
                    for method in [HTTPRequest.Method.get, .post, .delete, .head] {
                        let expected = try await plainClient.execute(uri: target, method: method)
                        let actual = try await exactClient.execute(uri: target, method: method)
                        let what = "\(method) \(target)"
                        #expect(actual.status == expected.status, "\(what)")
                        #expect(String(buffer: actual.body) == String(buffer: expected.body), "\(what)")
                        #expect(actual.headers[HTTPField.Name("X-Endpoint")!] == expected.headers[HTTPField.Name("X-Endpoint")!], "\(what)")
                        #expect(actual.headers[HTTPField.Name("X-Group")!] == expected.headers[HTTPField.Name("X-Group")!], "\(what)")
                        compared += 1
                    }
                }
                // What a user of these routes sees, so the comparison cannot pass with both wrong.
                let stats = try await exactClient.execute(uri: "/spaces/stats/?a=b", method: .get)
                #expect(String(buffer: stats.body) == "stats")
                #expect(stats.headers[HTTPField.Name("X-Endpoint")!] == "/spaces/stats")
                let space = try await exactClient.execute(uri: "/spaces/abc", method: .get)
                #expect(String(buffer: space.body) == "space abc")
                #expect(space.headers[HTTPField.Name("X-Endpoint")!] == "/spaces/{id}")
                let things = try await exactClient.execute(uri: "/api/v2/things/", method: .get)
                #expect(things.headers[HTTPField.Name("X-Group")!] == "api")
                #expect(try await exactClient.execute(uri: "/api/v2/fails", method: .get).status == .badRequest)
                #expect(try await exactClient.execute(uri: "/healthz", method: .delete).status == .notFound)
                #expect(compared == Self.targets.count * 4)
            }
        }
    }

    /// Which requests the table itself answers: the parameterless paths, with or without the
    /// trailing slash and query; every other spelling is left to the trie.
    @Test func tableHoldsOnlyParameterlessPathsInTheirTwoSpellings() {
        let exact = ExactPathRouter(Router())
        Self.addRoutes(to: exact)
        let table = exact.buildResponder().table
        for target in ["/", "/healthz", "/healthz/", "/healthz?x=1", "/spaces/stats/?", "/a/b/c", "/api/v2/things/"] {
            #expect(table.route(method: .get, target: target) != nil, "\(target)")
        }
        #expect(table.route(method: .post, target: "/spaces/stats")?.endpoint == "/spaces/stats")
        for target in ["//healthz", "/healthz//", "/Healthz", "/spaces/abc", "/spaces/%73tats", "/a/b", "", "healthz", "/api/v2"] {
            #expect(table.route(method: .get, target: target) == nil, "\(target)")
        }
        #expect(table.route(method: .delete, target: "/healthz") == nil)
        #expect(table.route(method: .get, target: nil) == nil)
    }
}
