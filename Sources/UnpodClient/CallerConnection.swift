import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization
import UnpodCore

/// The caller side of a call (the human's side: a terminal, a script, a gateway), over the socket
/// `UnpodClient.startWebCall(agent:)` names: say user turns, interrupt, hang up, and hear the call's
/// status and the agent's verbs on ``events``.
///
/// ```swift
/// let session = try await client.startWebCall(agent: "my-voice-agent")
/// let caller = CallerConnection(mediaURL: session.mediaUrl, token: session.token)
/// try await caller.say("hello")
/// for await event in caller.events { ... }
/// ```
public final class CallerConnection: Sendable {
    public let events: AsyncStream<CallerEvent>
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)
    private let connected: AsyncStream<Void>
    private let connectedContinuation: AsyncStream<Void>.Continuation

    public init(mediaURL: String, token: String) {
        let (stream, continuation) = AsyncStream.makeStream(of: CallerEvent.self)
        events = stream
        (connected, connectedContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let allowed = CharacterSet.urlQueryAllowed.subtracting(["&", "=", "+"])
        let url = mediaURL + "?token=" + (token.addingPercentEncoding(withAllowedCharacters: allowed) ?? token)
        Task {
            let close: WebSocketCloseFrame?
            do {
                close = try await WebSocketClient.connect(url: url, logger: Logger(label: "unpod.caller")) { inbound, outbound, _ in
                    self.writer.withLock { $0 = outbound }
                    self.connectedContinuation.yield()
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        guard case .text(let text) = message, let event = CallerProtocol.serverMessage(text) else { continue }
                        continuation.yield(.message(event))
                    }
                }
            } catch {
                close = nil
            }
            self.writer.withLock { $0 = nil }
            self.connectedContinuation.finish()
            continuation.yield(.closed(code: close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }, reason: close?.reason))
            continuation.finish()
        }
    }

    /// A whole user turn.
    public func say(_ text: String) async throws { try await send(.userText(text)) }

    /// The user spoke over the agent: the reply in flight is cut off.
    public func interrupt() async throws { try await send(.userInterrupted) }

    public func hangUp() async throws { try await send(.hangup) }

    private func send(_ message: CallerClientMessage) async throws {
        var outbound = writer.withLock { $0 }
        if outbound == nil {
            for await _ in connected { break }
            outbound = writer.withLock { $0 }
        }
        guard let outbound else { throw APIError(statusCode: 0, message: "the call's socket is closed") }
        try await outbound.write(.text(CallerProtocol.encode(message)))
    }
}
