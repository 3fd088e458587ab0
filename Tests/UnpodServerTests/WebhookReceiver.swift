import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A customer's webhook receiver: answers each path from a script of statuses (then 200), with a
/// `Retry-After` or a delay where the script says so, and keeps every request (path, headers, raw body).
final class WebhookReceiver: Sendable {
    struct Seen: Sendable {
        let path: String
        let headers: [String: String]
        let body: [UInt8]
    }

    struct Answer: Sendable {
        let status: Int
        let retryAfter: String?
        /// How long the receiver takes before it answers (a slow endpoint).
        var delay: Duration = .zero
    }

    final class State: Sendable {
        let seen = Mutex<[Seen]>([])
        let script = Mutex<[String: [Answer]]>([:])
    }

    let port: Int
    private let state: State

    private init(port: Int, state: State) {
        self.port = port
        self.state = state
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func requests(_ path: String) -> [Seen] { state.seen.withLock { $0.filter { $0.path == path } } }

    /// The next requests to `path` get these answers, in order.
    func answer(_ path: String, _ answers: [Answer]) { state.script.withLock { $0[path, default: []] += answers } }

    static func with<T: Sendable>(_ body: @Sendable (WebhookReceiver) async throws -> T) async throws -> T {
        let state = State()
        let router = Router()
        router.post("**") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let path = request.uri.path
            state.seen.withLock { $0.append(Seen(path: path, headers: headers, body: Array(buffer: bytes))) }
            let answer = state.script.withLock { script -> Answer in
                guard var queue = script[path], !queue.isEmpty else { return Answer(status: 200, retryAfter: nil) }
                let first = queue.removeFirst()
                script[path] = queue
                return first
            }
            if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
            var fields: HTTPFields = [.contentType: "text/plain"]
            if let retryAfter = answer.retryAfter { fields[.retryAfter] = retryAfter }
            return Response(
                status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: "answer \(answer.status)")))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: { var logger = Logger(label: "webhook-receiver"); logger.logLevel = .critical; return logger }())
        let service = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { service.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return try await body(WebhookReceiver(port: port, state: state))
    }
}
