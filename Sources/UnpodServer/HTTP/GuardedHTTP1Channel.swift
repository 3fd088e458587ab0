import Foundation
import HTTPTypes
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import Synchronization
import UnpodCore

/// Limits that protect the server before a request reaches the router (issue 5, item 3).
public struct ConnectionLimits: Sendable {
    /// Largest header block (names and values) a request may send: more is 431.
    public var maxHeaderBytes: Int
    /// A request must arrive whole within this time of the connection opening or of the previous
    /// answer; a client that trickles bytes (slowloris) or idles longer is disconnected.
    public var requestTimeout: Duration
    /// Open connections beyond this are answered 503 and closed at once.
    public var maxConnections: Int

    public init(maxHeaderBytes: Int = 16 * 1024, requestTimeout: Duration = .seconds(30), maxConnections: Int = 4096) {
        self.maxHeaderBytes = maxHeaderBytes
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
    }
}

/// Hummingbird's HTTP/1 channel (with the WebSocket upgrade, for `/rtc`) with the server's
/// connection limits in front of it: a cap on open connections, a deadline for each request, and
/// envelope answers (431, 400) to what the HTTP parser refuses, which Hummingbird would answer
/// with an empty 400.
///
/// The guard sits right after NIO's HTTP decoder, so it sees every request, the first one (which
/// may ask for an upgrade) included; a connection that becomes a WebSocket leaves the guard (its
/// liveness is then the WebSocket ping's business).
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    static let guardName = "unpod.connection-guard"

    let base: HTTP1WebSocketUpgradeChannel
    let limits: ConnectionLimits
    let openConnections: ConnectionCounter

    var responder: Responder { base.responder }

    init(responder: @escaping Responder, limits: ConnectionLimits, openConnections: ConnectionCounter, webSockets: [any WebSocketService]) {
        var decoder = HTTP1Channel.Configuration.DecoderConfiguration()
        decoder.maxHeaderListSize = limits.maxHeaderBytes
        decoder.maxHeaderFieldSize = limits.maxHeaderBytes
        self.base = HTTP1WebSocketUpgradeChannel(
            responder: responder,
            configuration: .init(
                http1: .init(httpDecoderConfiguration: decoder),
                ws: WebSocketServerConfiguration(
                    maxFrameSize: RealtimeEndpoint.maxMessageBytes, autoPing: .enabled(timePeriod: .seconds(5)))),
            shouldUpgrade: { head, channel, logger in
                guard let service = webSockets.first(where: { $0.handles(head) }) else { return .dontUpgrade }
                channel.pipeline.syncOperations.removeHandler(name: GuardedHTTP1Channel.guardName, promise: nil)
                let peer = channel.remoteAddress
                return .upgrade([:]) { inbound, outbound, context in
                    await service.serve(head, peer: peer, inbound: inbound, outbound: outbound, logger: context.logger)
                }
            })
        self.limits = limits
        self.openConnections = openConnections
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let open = openConnections.opened()
        channel.closeFuture.whenComplete { [openConnections] _ in openConnections.closed() }
        if open > limits.maxConnections {
            // Refused in a few bytes, without reading the request: the other connections keep their share.
            logger.debug("connection refused: at the connection cap", metadata: ["open": "\(open)"])
            do {
                try channel.pipeline.syncOperations.addHandler(RefuseConnectionHandler())
            } catch {
                channel.close(promise: nil)
            }
        }
        let timeout = TimeAmount(limits.requestTimeout)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let decoder = try channel.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try channel.pipeline.syncOperations.addHandler(
                ConnectionGuardHandler(requestTimeout: timeout), name: Self.guardName, position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

/// First in the pipeline of a connection over the cap: answers 503 in the envelope as soon as the
/// connection is up, closes it, and lets nothing through to HTTP.
final class RefuseConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    private func refuse(_ context: ChannelHandlerContext) {
        let body = JSONResponseBytes.envelope(.tooManyConnections)
        let head =
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: \(body.count)\r\n"
            + "connection: close\r\nretry-after: 1\r\n\r\n"
        var buffer = context.channel.allocator.buffer(capacity: head.utf8.count + body.count)
        buffer.writeString(head)
        buffer.writeBytes(body)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 behind ``ConnectionLimits``; `openConnections` counts the server's open connections.
    static func guardedHTTP1(limits: ConnectionLimits, openConnections: ConnectionCounter, webSockets: [any WebSocketService])
        -> HTTPServerBuilder
    {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, openConnections: openConnections, webSockets: webSockets)
        }
    }
}

/// A WebSocket endpoint on the API's port (`/rtc`, `/agents/worker`, `/v1/internal/workers`): which upgrade requests it
/// takes, and what it does with the connection.
protocol WebSocketService: Sendable {
    func handles(_ head: HTTPRequest) -> Bool
    /// `peer` is the TCP peer (for the failed-authentication throttle, like the HTTP routes').
    func serve(
        _ head: HTTPRequest, peer: SocketAddress?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        logger: Logger) async
}

/// Per connection: the request deadline, and the envelope answer to a request the parser refused.
///
/// The deadline runs from the moment the connection opens, or the previous answer was written,
/// until the request's last byte arrives; while the server works on a request it is paused, so a
/// slow handler is never cut off. A request only moves a timestamp: one timer per connection
/// checks it and re-arms itself for the time left, so the hot path schedules nothing.
final class ConnectionGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let requestTimeout: TimeAmount
    private var timer: Scheduled<Void>?
    /// When the connection started waiting for a request's last byte; nil while a request is answered.
    private var waitingSince: NIODeadline? = .now()
    private var answering: Bool { waitingSince == nil }

    init(requestTimeout: TimeAmount) {
        self.requestTimeout = requestTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { waitingSince = nil }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { waitingSince = .now() }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // After a refusal the rest of what the client sends is read and dropped (the decoder
        // reports each read as an error): see `linger`.
        if draining { return }
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        stop()
        guard !answering else {
            // A response is being written for an earlier request: nothing can be said in between.
            context.close(promise: nil)
            return
        }
        let apiError: APIError = parserError == .headerOverflow ? .headersTooLarge : .malformedRequest
        let body = JSONResponseBytes.envelope(apiError)
        let head = HTTPResponseHead(
            version: .http1_1, status: .init(statusCode: apiError.statusCode),
            headers: ["content-type": "application/json", "content-length": "\(body.count)", "connection": "close"])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        draining = true
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in Self.linger(channel) }
    }

    /// Whether the connection is past a refusal, reading and dropping what is still coming.
    private var draining = false
    /// How long a refused connection keeps reading before it closes whatever the client does.
    static let lingerTime: TimeAmount = .seconds(2)

    /// A lingering close, as nginx does: closing at once while the client is still sending (a big
    /// header block) makes the kernel answer with a reset, which can destroy the answer before
    /// the client reads it. So the server closes its sending side (the client reads the answer and
    /// an end), keeps reading until the client closes or `lingerTime` passes, then closes.
    static func linger(_ channel: any Channel) {
        channel.close(mode: .output, promise: nil)
        channel.eventLoop.scheduleTask(in: lingerTime) { channel.close(promise: nil) }
    }

    private func start(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        waitingSince = .now()
        schedule(context, in: requestTimeout)
    }

    /// Checks the deadline when the timer fires: closes a connection past it, else waits for the rest.
    private func schedule(_ context: ChannelHandlerContext, in delay: TimeAmount) {
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: delay) {
            let (handler, context) = loopBound.value
            guard handler.timer != nil else { return }
            guard let since = handler.waitingSince else {
                return handler.schedule(context, in: handler.requestTimeout)
            }
            let left = since + handler.requestTimeout - .now()
            if left <= .zero {
                handler.timer = nil
                context.close(promise: nil)
            } else {
                handler.schedule(context, in: left)
            }
        }
    }

    private func stop() {
        timer?.cancel()
        timer = nil
    }
}

/// The server's open connections, shared by all of them (and read by `/metrics`).
final class ConnectionCounter: Sendable {
    private let count = Atomic<Int>(0)

    var current: Int { count.load(ordering: .relaxed) }

    /// Counts a new connection and returns how many are open with it.
    func opened() -> Int { count.wrappingAdd(1, ordering: .relaxed).newValue }

    func closed() { count.wrappingSubtract(1, ordering: .relaxed) }
}

/// Envelope bytes for answers written below the router.
enum JSONResponseBytes {
    static func envelope(_ error: APIError) -> [UInt8] {
        Array((try? JSONEncoder.unpod().encode(error)) ?? Data())
    }
}
