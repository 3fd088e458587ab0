import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization
import Testing

/// A client over a real WebSocket (a room participant, an SDK runner): sends JSON frames, collects
/// what the server sends, and reports how the server closed the connection.
final class SocketTestClient: Sendable {
    private final class Shared: Sendable {
        let received = Mutex<[String]>([])
        let writer = Mutex<WebSocketOutboundWriter?>(nil)
    }

    private let shared = Shared()
    private let run: Task<WebSocketCloseFrame?, any Error>

    init(url: String, headers: HTTPFields = [:]) {
        let shared = self.shared
        run = Task {
            try await WebSocketClient.connect(
                url: url, configuration: .init(additionalHeaders: headers), logger: Logger(label: "socket-client")
            ) { inbound, outbound, _ in
                shared.writer.withLock { $0 = outbound }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    if case .text(let text) = message { shared.received.withLock { $0.append(text) } }
                }
            }
        }
    }

    /// A client the test no longer holds hangs up. One that missed the server's close frame would
    /// otherwise keep its connection half-open, and the in-process server's shutdown at the end
    /// of the test waits for it for good (seen as a whole `swift test` hanging).
    deinit {
        run.cancel()
    }

    /// Connects to `/rtc` with these query parameters (the access token among them).
    static func connect(port: Int, _ query: [String: String]) -> SocketTestClient {
        let items = query.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? value)"
        }
        return SocketTestClient(url: "ws://127.0.0.1:\(port)/rtc?" + items.joined(separator: "&"))
    }

    var messages: [[String: Any]] {
        shared.received.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func messages(ofType type: String, key: String = "type") -> [[String: Any]] { messages.filter { $0[key] as? String == type } }

    /// The frames as sent, in order.
    var texts: [String] { shared.received.withLock { $0 } }

    /// Waits (up to 20 s) until `count` frames of this type arrived, without parsing them (for floods).
    func waitForCount(_ type: String, _ count: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let marker = #""type":"\#(type)""#
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(20) {
            if shared.received.withLock({ $0.lazy.filter { $0.contains(marker) }.count }) >= count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("fewer than \(count) \(type) frames within 20 s", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Waits (up to 10 s: the tests run in parallel on two cores) until `count` messages of this type have arrived; returns the last.
    @discardableResult
    func waitFor(_ type: String, key: String = "type", count: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> [String: Any]
    {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(10) {
            let matching = messages(ofType: type, key: key)
            if matching.count >= count { return matching[count - 1] }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("no \(count) \(type) message(s) within 10 s; got \(shared.received.withLock { $0 })", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func send(_ json: String) async throws {
        let start = ContinuousClock.now
        while shared.writer.withLock({ $0 }) == nil, ContinuousClock.now - start < .seconds(3) { try await Task.sleep(for: .milliseconds(5)) }
        guard let outbound = shared.writer.withLock({ $0 }) else { throw CancellationError() }
        try await outbound.write(.text(json))
    }

    /// Drops the connection without a `leave` (the session waits for a reconnect).
    func drop() async throws {
        try await shared.writer.withLock { $0 }?.close(.goingAway, reason: "network change")
        _ = try? await run.value
    }

    /// How the server closed the connection; nil when it did not within 10 s (the client then hangs up).
    func closeFrame() async throws -> WebSocketCloseFrame? {
        let run = self.run
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            run.cancel()
        }
        defer { watchdog.cancel() }
        return try await run.value
    }

    /// The close code a refused connection gets. The WebSocket client loses a frame that reaches it
    /// before its pipeline is in place right behind the 101 answer (a raw socket always gets it;
    /// RealtimeEndpoint.refuse and RoomConnectionTests say more): the server's 100 ms refusal delay
    /// makes that rare, and such an attempt is made again, up to three times (the SDK asks
    /// `/rtc/validate` instead; this client tests the socket itself). A
    /// connection the server accepted is not retried: it gets `joined`, and its code is whatever
    /// closes it later.
    static func refusal(port: Int, _ query: [String: String]) async -> Int? {
        for _ in 0..<3 {
            let client = connect(port: port, query)
            let code = await client.closeCode
            if code != nil || !client.messages.isEmpty { return code }
        }
        return nil
    }

    /// The close code a refused connection to `url` gets, tried up to three times for the reason above.
    static func refusal(url: String) async -> Int? {
        for _ in 0..<3 {
            let client = SocketTestClient(url: url)
            let code = await client.closeCode
            if code != nil || !client.texts.isEmpty { return code }
        }
        return nil
    }

    var closeCode: Int? {
        get async { (try? await closeFrame())?.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) } ?? nil }
    }
}
