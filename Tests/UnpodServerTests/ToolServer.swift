import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A customer's own HTTP API that a custom tool calls: answers every request with
/// `{"status":"shipped"}` and keeps each request (method, path, query, headers, body) for the
/// test to read.
final class ToolServer: Sendable {
    struct Seen: Sendable {
        let method: String
        let path: String
        let query: String
        let headers: [String: String]
        let body: String
    }

    final class Recorder: Sendable {
        let seen = Mutex<[Seen]>([])
    }

    let port: Int
    private let recorder: Recorder

    private init(port: Int, recorder: Recorder) {
        self.port = port
        self.recorder = recorder
    }

    var requests: [Seen] { recorder.seen.withLock { $0 } }

    static func with<T: Sendable>(_ body: @Sendable (ToolServer) async throws -> T) async throws -> T {
        let recorder = Recorder()
        let router = Router()
        for method in [HTTPRequest.Method.get, .post] {
            router.on("**", method: method) { request, _ -> Response in
                let bytes = try await request.body.collect(upTo: 1 << 20)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                recorder.seen.withLock {
                    $0.append(
                        Seen(
                            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", headers: headers,
                            body: String(buffer: bytes)))
                }
                return Response(
                    status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"shipped"}"#)))
            }
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: { var logger = Logger(label: "tool-server"); logger.logLevel = .critical; return logger }())
        let service = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { service.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return try await body(ToolServer(port: port, recorder: recorder))
    }
}
