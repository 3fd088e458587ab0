import HTTPTypes
import Hummingbird

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the server's routes are registered: each goes to Hummingbird's `Router` as before, and a
/// route whose path has no parameter (`/healthz`, `/api/v2/platform/organizations`, …) is also kept
/// in an ``ExactPathTable`` that ``ExactPathResponder`` consults before the router's trie.
///
/// Why: the trie splits the path into `Substring`s and compares them `Character` by `Character`,
/// each a `String` of its own. Counted with callgrind (`scripts/bench-instructions.sh`) that is
/// about 19,000 instructions for `/api/v2/platform/organizations/` and 6,000 for `/healthz`, a
/// tenth of an authenticated request; the table's hash and byte comparison cost a few hundred.
///
/// The answer is the router's, byte for byte:
/// - A path made only of constants is found by the trie along those constants, since the trie
///   tries constants before any parameter; so the table's route is the one the trie would pick.
/// - The table knows each path as `RouterPath.description` gives it, with and without a trailing
///   slash, as the trie matches both. Any other spelling (`//x`, percent-escapes, an absolute URI)
///   is not in the table and goes to the trie, as does a method the path lacks (the trie answers
///   404 then; it does not look for another route).
/// - The responder is built the way `Router.on` builds it: the router's middleware (and a group's,
///   which `RouterGroup` has already applied) around the handler. `endpointPath`, which metrics and
///   logs read, is set to the same `RouterPath.description`, and errors become responses the same way.
/// This holds for a router without options, which is what ``buildApplication`` makes: a
/// case-insensitive router or generated HEAD routes would need the same in the table.
final class ExactPathRouter<Context: RequestContext>: RouterMethods, HTTPResponderBuilder {
    let router: Router<Context>
    private var routes: [ExactPathTable<Context>.Route] = []

    init(_ router: Router<Context>) {
        self.router = router
    }

    @discardableResult func on<Responder: HTTPResponder>(
        _ path: RouterPath, method: HTTPRequest.Method, responder: Responder
    ) -> Self where Responder.Context == Context {
        router.on(path, method: method, responder: responder)
        // A constant is the only element equal to `.path` of its own text (`{id}` reads as `.capture`).
        if path.allSatisfy({ $0 == .path(Substring($0.description)) }) {
            let built = router.middlewares.constructResponder(finalResponder: responder)
            if let index = routes.firstIndex(where: { $0.endpoint == path.description }) {
                routes[index].methods.append((method, built))
            } else {
                routes.append(.init(endpoint: path.description, methods: [(method, built)]))
            }
        }
        return self
    }

    @discardableResult func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> Self {
        router.add(middleware: middleware)
        return self
    }

    func buildResponder() -> ExactPathResponder<Context> {
        ExactPathResponder(table: ExactPathTable(routes), router: router.buildResponder())
    }
}

/// The table first, the router's trie for every other request.
struct ExactPathResponder<Context: RequestContext>: HTTPResponder {
    let table: ExactPathTable<Context>
    let router: RouterResponder<Context>

    func respond(to request: Request, context: Context) async throws -> Response {
        guard let route = table.route(method: request.method, target: request.head.path) else {
            return try await router.respond(to: request, context: context)
        }
        context.coreContext.endpointPath.value = route.endpoint
        do {
            return try await route.responder.respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            return try error.response(from: request, context: context)
        }
    }
}

/// Parameterless routes by the exact path: the methods each answers, found through an ``ExactPathIndex``.
struct ExactPathTable<Context: RequestContext>: Sendable {
    struct Route: Sendable {
        /// `RouterPath.description`: what the router reports as the matched endpoint.
        let endpoint: String
        var methods: [(HTTPRequest.Method, any HTTPResponder<Context>)]
    }

    private let routes: [Route]
    private let index: ExactPathIndex

    init(_ routes: [Route]) {
        self.routes = routes
        var spellings: [(String, Int)] = []
        for (number, route) in routes.enumerated() {
            spellings.append((route.endpoint, number))
            if route.endpoint != "/" { spellings.append((route.endpoint + "/", number)) }
        }
        self.index = ExactPathIndex(spellings)
    }

    /// The endpoint and responder for `method` on the request target's path, or nil (then the router decides).
    func route(method: HTTPRequest.Method, target: String?) -> (endpoint: String, responder: any HTTPResponder<Context>)? {
        guard let target, let number = index.lookup(target) else { return nil }
        for (candidate, responder) in routes[number].methods where candidate == method {
            return (routes[number].endpoint, responder)
        }
        return nil
    }
}

/// Paths to numbers by their bytes: a hash of the bytes before `?`, open addressing with linear
/// probing, then `memcmp`. Not generic, so the byte loops compile to plain loops.
struct ExactPathIndex: Sendable {
    private struct Slot: Sendable {
        let path: [UInt8]
        let number: Int
    }

    private let slots: [Slot?]
    private let mask: Int

    init(_ paths: [(String, Int)]) {
        var size = 8
        while size < paths.count * 4 { size *= 2 }
        var slots = [Slot?](repeating: nil, count: size)
        for (path, number) in paths {
            let bytes = Array(path.utf8)
            var index = bytes.withUnsafeBytes { Self.hash($0) } & (size - 1)
            while slots[index] != nil { index = (index + 1) & (size - 1) }
            slots[index] = Slot(path: bytes, number: number)
        }
        self.slots = slots
        self.mask = size - 1
    }

    /// The number of the path `target` names (its query left out), if it is one of the paths.
    func lookup(_ target: String) -> Int? {
        let found: Int?? = target.utf8.withContiguousStorageIfAvailable { target -> Int? in
            guard let start = target.baseAddress else { return nil }
            let query = memchr(start, Int32(UInt8(ascii: "?")), target.count)
            let length = query.map { UnsafeRawPointer(start).distance(to: $0) } ?? target.count
            let path = UnsafeRawBufferPointer(start: start, count: length)
            var index = Self.hash(path) & mask
            while let slot = slots[index] {
                let same = slot.path.withUnsafeBytes { $0.count == length && memcmp($0.baseAddress!, start, length) == 0 }
                if same { return slot.number }
                index = (index + 1) & mask
            }
            return nil
        }
        return found ?? nil
    }

    /// FNV-1a over 8-byte words, then the bytes left over: a handful of instructions for a path.
    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 14_695_981_039_346_656_037
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 1_099_511_628_211
            offset += 8
        }
        while offset < bytes.count {
            hash = (hash ^ UInt64(bytes[offset])) &* 1_099_511_628_211
            offset += 1
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
