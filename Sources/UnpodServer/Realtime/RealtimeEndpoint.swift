import Foundation
import Synchronization
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import UnpodCore
import UnpodPersistence

/// How rooms behave on this node.
public struct RealtimeConfiguration: Sendable {
    /// Participants in one room, hidden ones included; one more is closed with "room full".
    public var participantCap: Int
    /// How long a session whose socket dropped waits for its reconnect.
    public var reconnectWindow: Duration
    /// How often a participant gets a refreshed token (and right after joining).
    public var refreshInterval: Duration
    /// Frames a participant may fall behind before it is dropped.
    public var outboxLimit: Int
    /// How long a refused connection waits before its close frame (``RealtimeEndpoint/refuse(_:_:after:)``).
    public var refusalDelay: Duration = .milliseconds(100)

    public init(
        participantCap: Int = 1000, reconnectWindow: Duration = .seconds(60), refreshInterval: Duration = .seconds(300),
        outboxLimit: Int = 1024
    ) {
        self.participantCap = participantCap
        self.reconnectWindow = reconnectWindow
        self.refreshInterval = refreshInterval
        self.outboxLimit = outboxLimit
    }
}

/// `GET /rtc?access_token=…[&reconnect=1&sid=…][&org=…]`, upgraded to a WebSocket: one
/// participant's session in a room (issue 7, items 4 and 5). Every refusal closes the socket with
/// its own code and reason (``RealtimeClose``).
struct RealtimeEndpoint: WebSocketService {
    /// The largest frame a client may send: a data message's payload is at most 15 KiB (LiveKit's
    /// reliable packet), metadata at most 64 KiB.
    static let maxMessageBytes = 80 * 1024
    static let maxPayloadBytes = 15 * 1024
    static let maxMetadataBytes = 64 * 1024

    let authority: AccessTokenAuthority
    let registry: RoomRegistry
    let configuration: RealtimeConfiguration

    init(store: SQLStore, clock: any WallClock, configuration: RealtimeConfiguration) {
        self.authority = AccessTokenAuthority(store: store, clock: clock)
        self.registry = RoomRegistry(participantCap: configuration.participantCap, reconnectWindow: configuration.reconnectWindow)
        self.configuration = configuration
    }

    func handles(_ head: HTTPRequest) -> Bool {
        let path = head.path ?? ""
        return path == "/rtc" || path.hasPrefix("/rtc?") || path == "/rtc/" || path.hasPrefix("/rtc/?")
    }

    func serve(_ head: HTTPRequest, peer: SocketAddress?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let query = Self.query(head.path ?? "")
        let reconnecting = query["reconnect"] == "1"
        let admission: AccessTokenAuthority.Admission
        switch await admit(query, logger: logger) {
        case .success(let admitted): admission = admitted
        case .failure(let close): return await refuse(outbound, close)
        }
        let claims = admission.claims
        let key = RoomRegistry.RoomKey(orgID: admission.orgID, name: admission.room)
        let grant = claims.video ?? VideoGrant()

        // The writer runs in its own task; an overflowing outbox cancels it, which ends the session.
        let writerTask = TaskSlot()
        let outbox = Outbox(limit: configuration.outboxLimit) { writerTask.cancel() }
        let sid: String
        let generation: Int
        let others: [RoomParticipant]
        var reconnected = false
        if reconnecting, let held = query["sid"],
            let session = await registry.reconnect(key, sid: held, identity: claims.sub, outbox: outbox)
        {
            (sid, generation, others, reconnected) = (held, session.generation, session.others, true)
        } else {
            // No session to resume: this is a first connection, and expiry counts.
            if reconnecting, isExpired(claims) { return await refuse(outbound, .tokenExpired) }
            switch await registry.join(
                key, identity: claims.sub, name: claims.name, metadata: claims.metadata, grant: grant, outbox: outbox)
            {
            case .full: return await refuse(outbound, .roomFull)
            case .joined(let newSid, let newGeneration, let present): (sid, generation, others) = (newSid, newGeneration, present)
            }
        }
        logger.debug("participant connected", metadata: ["room": "\(key.name)", "sid": "\(sid)", "reconnected": "\(reconnected)"])

        outbox.send(
            RoomProtocol.encode(
                RoomServerMessage.joined(
                    room: key.name, sid: sid, identity: claims.sub, participants: others, reconnected: reconnected)))
        let session = Session(
            endpoint: self, key: key, sid: sid, generation: generation, admission: admission, outbox: outbox, logger: logger)
        let ending = await session.run(inbound: inbound, outbound: outbound, writerTask: writerTask)
        switch ending {
        case .left: await registry.leave(key, sid: sid, generation: generation)
        case .dropped: await registry.detach(key, sid: sid, generation: generation)
        }
    }

    static func close(_ outbound: WebSocketOutboundWriter, _ reason: RealtimeClose) async {
        try? await outbound.close(.init(codeNumber: Int(reason.code)), reason: reason.reason)
    }

    /// Checks a connection's token (`access_token`, `reconnect`, `org` of the query): its admission,
    /// or the refusal the socket is closed with.
    func admit(_ query: [String: String], logger: Logger) async -> Result<AccessTokenAuthority.Admission, RealtimeClose> {
        guard let token = query["access_token"], !token.isEmpty else { return .failure(.invalidToken("no access_token")) }
        do {
            return try await authority.admit(token, allowExpired: query["reconnect"] == "1", organization: query["org"])
        } catch {
            logger.error("realtime admission failed", metadata: ["error": "\(error)"])
            return .failure(.invalidToken("the server could not check the token"))
        }
    }

    /// Why `/rtc` would refuse this query now, or nil when it would admit it: what
    /// `GET /rtc/validate` answers (RealtimeValidation), for a client that lost the close frame.
    func refusal(_ query: [String: String], logger: Logger) async -> RealtimeClose? {
        let admission: AccessTokenAuthority.Admission
        switch await admit(query, logger: logger) {
        case .success(let admitted): admission = admitted
        case .failure(let close): return close
        }
        let key = RoomRegistry.RoomKey(orgID: admission.orgID, name: admission.room)
        if query["reconnect"] == "1" {
            if let sid = query["sid"], await registry.holds(key, sid: sid) { return nil }
            if isExpired(admission.claims) { return .tokenExpired }
        }
        return await registry.isFull(key, for: admission.claims.sub) ? .roomFull : nil
    }

    /// Whether a token is past its expiry (a reconnect's token may be, while its session is held).
    private func isExpired(_ claims: AccessTokenClaims) -> Bool {
        (try? AccessTokenKey.checkTimes(claims, now: authority.clock.now(), allowExpired: false)) == nil
    }

    /// Closes a connection refused at once, after `refusalDelay`. The client this project uses
    /// (swift-websocket on NIO's typed client upgrader) loses a frame that reaches it before its
    /// WebSocket pipeline is in place, right behind the 101 answer: a raw socket always receives
    /// the close frame, that client missed 10–30% of them in 400 refusals 40 at a time on two busy
    /// cores (RealtimeValidationTests). Waiting 100 ms makes that rare; the SDK's RoomConnection
    /// asks `GET /rtc/validate` when it is lost anyway, so its user always learns why.
    static func refuse(_ outbound: WebSocketOutboundWriter, _ reason: RealtimeClose, after delay: Duration = .milliseconds(100)) async {
        try? await Task.sleep(for: delay)
        await close(outbound, reason)
    }

    /// The same, after this node's `refusalDelay`.
    func refuse(_ outbound: WebSocketOutboundWriter, _ reason: RealtimeClose) async {
        await Self.refuse(outbound, reason, after: configuration.refusalDelay)
    }

    /// The query of a request target, percent-decoded.
    static func query(_ target: String) -> [String: String] {
        guard let mark = target.firstIndex(of: "?") else { return [:] }
        var values: [String: String] = [:]
        for pair in target[target.index(after: mark)...].split(separator: "&") {
            // Empty pieces kept: a bare "=" is a pair with an empty name, not an empty list (which
            // trapped on `parts[0]`, taking the whole server down: Schemathesis, on /rtc/validate).
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = parts[0].removingPercentEncoding ?? parts[0]
            let value = parts.count > 1 ? (parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? parts[1]) : ""
            values[name] = value
        }
        return values
    }
}

/// One connected participant: writes its outbox, reads its messages, refreshes its token.
private struct Session: Sendable {
    enum Ending { case left, dropped }

    let endpoint: RealtimeEndpoint
    let key: RoomRegistry.RoomKey
    let sid: String
    let generation: Int
    let admission: AccessTokenAuthority.Admission
    let outbox: Outbox
    let logger: Logger

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, writerTask: TaskSlot) async -> Ending {
        let writer = Task { await write(outbound) }
        writerTask.set(writer)
        if outbox.isOverflowed { writer.cancel() }
        let refresher = Task { await refresh() }
        let ending = await withTaskGroup(of: Ending?.self) { group in
            group.addTask { await read(inbound) }
            group.addTask {
                // The writer ends when the outbox closes (removed, replaced) or overflows.
                await writer.value
                return nil
            }
            let first = await group.next() ?? nil
            // The writer is not a child: cancel it, or the group would wait for it.
            writer.cancel()
            group.cancelAll()
            return first ?? .dropped
        }
        refresher.cancel()
        writer.cancel()
        if case .left = ending { await RealtimeEndpoint.close(outbound, .left) }
        return ending
    }

    private func write(_ outbound: WebSocketOutboundWriter) async {
        for await frame in outbox.frames {
            switch frame {
            case .text(let text):
                do {
                    try await outbound.write(.text(text))
                } catch {
                    return
                }
                outbox.delivered()
            case .close(let reason):
                await RealtimeEndpoint.close(outbound, reason)
                return
            }
        }
        if outbox.isOverflowed { await RealtimeEndpoint.close(outbound, .slowConsumer) }
    }

    private func refresh() async {
        while !Task.isCancelled {
            do {
                outbox.send(RoomProtocol.encode(RoomServerMessage.token(try await endpoint.authority.refreshed(admission))))
            } catch {
                logger.warning("could not refresh an access token", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: endpoint.configuration.refreshInterval)
        }
    }

    private func read(_ inbound: WebSocketInboundStream) async -> Ending? {
        do {
            for try await message in inbound.messages(maxSize: RealtimeEndpoint.maxMessageBytes) {
                guard case .text(let text) = message, let (request, version) = RoomProtocol.clientMessage(text) else {
                    outbox.close(.protocolError("frames are JSON text objects with a type"))
                    return nil
                }
                if let version, version != RoomProtocol.version {
                    outbox.close(.protocolError("unsupported protocol version \(version)"))
                    return nil
                }
                if let ending = await handle(request) { return ending }
            }
        } catch {
            logger.debug("realtime read ended", metadata: ["error": "\(error)"])
        }
        return .dropped
    }

    /// One message; `.left` ends the session.
    private func handle(_ request: RoomClientMessage) async -> Ending? {
        let refusal: RealtimeClose?
        switch request {
        case .data(let payload, let to, let topic):
            guard let payload, payload.utf8.count <= RealtimeEndpoint.maxPayloadBytes else {
                refusal = .protocolError("data needs a payload of at most \(RealtimeEndpoint.maxPayloadBytes) bytes")
                break
            }
            refusal = await endpoint.registry.publish(key, from: sid, payload: payload, to: to, topic: topic)
        case .metadata(let metadata):
            guard let metadata, metadata.utf8.count <= RealtimeEndpoint.maxMetadataBytes else {
                refusal = .protocolError("metadata needs a value of at most \(RealtimeEndpoint.maxMetadataBytes) bytes")
                break
            }
            refusal = await endpoint.registry.updateMetadata(key, sid: sid, metadata: metadata)
        case .remove(let identity):
            guard let identity else {
                refusal = .protocolError("remove needs an identity")
                break
            }
            // Stored before anyone is closed: a removed participant that reconnects at once is refused.
            guard await endpoint.registry.isRoomAdmin(key, sid: sid) else {
                refusal = .noPermission("roomAdmin is not granted")
                break
            }
            await recordRemoval(of: identity)
            if case .failure(let close) = await endpoint.registry.remove(key, by: sid, identity: identity) {
                refusal = close
            } else {
                refusal = nil
            }
        case .leave:
            return .left
        case .unknown(let type):
            refusal = .protocolError("unknown message type \(type)")
        }
        if let refusal {
            // Refused messages are answered, not fatal: the participant stays.
            outbox.send(
                RoomProtocol.encode(RoomServerMessage.error(code: String(refusal.code), message: refusal.reason)))
        }
        return nil
    }

    /// Every token of that identity for this room issued up to now is refused from now on.
    private func recordRemoval(of identity: String) async {
        let second = Int64(endpoint.authority.clock.now().timeIntervalSince1970.rounded(.down))
        let actor = AuditActor.apiKey(
            admission.key.keyID, userID: admission.key.userID, email: nil, clientAddress: nil, requestID: nil)
        do {
            try await endpoint.authority.store.recordRoomRemoval(
                orgID: key.orgID, room: key.name, identity: identity, second: second, actor: actor)
        } catch {
            logger.error("could not record a removal", metadata: ["error": "\(error)"])
        }
    }
}

/// A task that another thread may cancel (the outbox, when its reader falls too far behind).
final class TaskSlot: Sendable {
    private let task = Mutex<Task<Void, Never>?>(nil)

    func set(_ task: Task<Void, Never>) { self.task.withLock { $0 = task } }
    func cancel() { task.withLock { $0?.cancel() } }
}
