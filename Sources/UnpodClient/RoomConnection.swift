import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization
import UnpodCore

/// What a room tells a participant (the room server's protocol, version 1; README "Realtime rooms").
public enum RoomEvent: Sendable, Equatable {
    public typealias Participant = RoomParticipant

    /// First: this participant's sid and who else is there (hidden participants left out).
    case joined(sid: String, participants: [Participant], reconnected: Bool)
    case participantJoined(Participant)
    case participantLeft(Participant)
    case metadataChanged(Participant)
    case data(from: String, payload: String, topic: String?)
    /// A refreshed access token; the connection keeps it for its next reconnect.
    case tokenRefreshed(String)
    /// A message the server refused (the connection stays): the close-code number and why.
    case refused(code: Int, message: String)
    /// The connection ended: the server's close code and reason (nil when it gave none).
    case closed(code: Int?, reason: String?)
}

/// A participant's connection to a room on `/rtc` (issue 7, item 7). Events arrive on ``events``;
/// ``reconnect()`` resumes the same session (same sid) with the last token the server sent, which
/// works within the server's reconnect window even after that token expired.
public final class RoomConnection: Sendable {
    private struct State {
        var writer: WebSocketOutboundWriter?
        var sid: String?
        var token: String
        var continuation: AsyncStream<RoomEvent>.Continuation
    }

    /// The current connection's events; a ``reconnect()`` starts a new sequence.
    public var events: AsyncStream<RoomEvent> { eventStream.withLock { $0 } }
    public var sid: String? { state.withLock { $0.sid } }

    private let serverURL: String
    private let organization: String?
    private let state: Mutex<State>
    private let eventStream: Mutex<AsyncStream<RoomEvent>>

    /// Connects with an access token (from `POST /tokens/`, `unpod token` or ``AccessTokenBuilder``).
    /// - Parameters:
    ///   - serverURL: `ws://host:port` or `wss://…`, as `POST /tokens/` answers it.
    ///   - organization: the `org` parameter, for a token that names no organization from a key that does not either.
    public init(serverURL: String, token: String, organization: String? = nil) {
        self.serverURL = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        self.organization = organization
        let (stream, continuation) = AsyncStream.makeStream(of: RoomEvent.self)
        self.state = Mutex(State(writer: nil, sid: nil, token: token, continuation: continuation))
        self.eventStream = Mutex(stream)
        start(reconnecting: false)
    }

    public func send(data payload: String, to identities: [String]? = nil, topic: String? = nil) async throws {
        try await write(.data(payload: payload, to: identities, topic: topic))
    }

    public func updateMetadata(_ metadata: String) async throws {
        try await write(.metadata(metadata))
    }

    /// Removes every session of `identity` from the room (needs `roomAdmin`).
    public func remove(identity: String) async throws {
        try await write(.remove(identity: identity))
    }

    /// Leaves for good: the others see this participant leave at once.
    public func leave() async throws {
        try await write(.leave)
    }

    /// Drops the socket without leaving (as a network change would).
    public func disconnect() async throws {
        try await state.withLock { $0.writer }?.close(.goingAway, reason: "disconnect")
    }

    /// Resumes the session with its sid and the last token received; events continue on a new ``events``.
    public func reconnect() {
        let (stream, continuation) = AsyncStream.makeStream(of: RoomEvent.self)
        state.withLock {
            $0.writer = nil
            $0.continuation = continuation
        }
        eventStream.withLock { $0 = stream }
        start(reconnecting: true)
    }

    private func start(reconnecting: Bool) {
        let (token, sid, continuation) = state.withLock { ($0.token, $0.sid, $0.continuation) }
        var query = ["access_token": token]
        if reconnecting, let sid {
            query["reconnect"] = "1"
            query["sid"] = sid
        }
        if let organization { query["org"] = organization }
        let allowed = CharacterSet.urlQueryAllowed.subtracting(["&", "=", "+"])
        let parameters = query.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)" }
            .sorted().joined(separator: "&")
        let url = serverURL + "/rtc?" + parameters
        let progress = RoomConnectionProgress()
        let finish: @Sendable (Int?, String?) -> Void = { code, reason in
            guard progress.close() else { return }
            self.state.withLock { $0.writer = nil }
            continuation.yield(.closed(code: code, reason: reason))
            continuation.finish()
        }
        let serverURL = self.serverURL
        let socket = Task {
            let close: WebSocketCloseFrame?
            do {
                close = try await WebSocketClient.connect(url: url, logger: Logger(label: "unpod.room")) { inbound, outbound, _ in
                    self.state.withLock { $0.writer = outbound }
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message,
                            let frame = RoomProtocol.serverMessage(text),
                            let event = self.event(frame)
                        else { continue }
                        if case .joined = event { progress.markJoined() }
                        continuation.yield(event)
                    }
                }
            } catch {
                close = nil
            }
            var code = close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }
            var reason = close?.reason
            // Refused before joining, and the close frame lost on the way (the WebSocket client
            // can drop a frame that arrives right behind the upgrade): the server says why over HTTP.
            if code == nil, !progress.joined, let refusal = await RoomValidation.refusal(serverURL: serverURL, query: parameters) {
                (code, reason) = (refusal.code, refusal.reason)
            }
            finish(code, reason)
        }
        // The same loss can leave the client's socket open for good (it misses the server's close
        // too): with no `joined` after a few seconds, the server is asked, and a refusal ends
        // the connection's events with its code (the stuck socket is abandoned).
        Task {
            try? await Task.sleep(for: Self.joinWatchdog)
            guard !progress.settled,
                let refusal = await RoomValidation.refusal(serverURL: serverURL, query: parameters)
            else { return }
            // Said first: cancelling the socket's task also cancels its own question to the server,
            // which would otherwise end the events with no code at all.
            finish(refusal.code, refusal.reason)
            socket.cancel()
        }
    }

    /// How long a connection waits for `joined` before it asks the server whether it was refused.
    static let joinWatchdog: Duration = .seconds(3)

    private func event(_ message: RoomServerMessage) -> RoomEvent? {
        switch message {
        case .joined(_, let sid, _, let participants, let reconnected):
            state.withLock { $0.sid = sid }
            return .joined(sid: sid, participants: participants, reconnected: reconnected)
        case .participantJoined(let participant): return .participantJoined(participant)
        case .participantLeft(let participant): return .participantLeft(participant)
        case .metadataChanged(let participant): return .metadataChanged(participant)
        case .data(let from, let payload, let topic): return .data(from: from, payload: payload, topic: topic)
        case .token(let token):
            state.withLock { $0.token = token }
            return .tokenRefreshed(token)
        case .error(let code, let message): return .refused(code: Int(code) ?? 0, message: message)
        case .unknown: return nil
        }
    }

    private func write(_ message: RoomClientMessage) async throws {
        let start = ContinuousClock.now
        var writer = state.withLock { $0.writer }
        while writer == nil, ContinuousClock.now - start < .seconds(10) {
            try await Task.sleep(for: .milliseconds(5))
            writer = state.withLock { $0.writer }
        }
        guard let writer else { throw RoomConnectionError.notConnected }
        try await writer.write(.text(RoomProtocol.encode(message)))
    }
}

public enum RoomConnectionError: Error, Sendable {
    /// No open connection to send on.
    case notConnected
}
