import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import UnpodCore
import UnpodPersistence

/// `/v1/calls/{call}/media?token=…`: the caller side of a call (``CallerProtocol``), with the
/// token `POST …/speech/v1/sessions/token` answered, on any node (another node's call is
/// relayed to it). 4003 for an unknown call, a bad or expired
/// token, or a call that already ended or has a caller; a frame that is not the protocol's is
/// closed with 1002.
struct CallerEndpoint: WebSocketService {
    static let maxMessageBytes = 64 * 1024

    let hub: CallHub
    let store: SQLStore
    let configuration: CallConfiguration

    func handles(_ head: HTTPRequest) -> Bool {
        let path = (head.path ?? "").split(separator: "?", maxSplits: 1).first ?? ""
        return path.hasPrefix(CallerProtocol.pathPrefix) && path.hasSuffix(CallerProtocol.pathSuffix)
    }

    func serve(
        _ head: HTTPRequest, peer: SocketAddress?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        logger: Logger
    ) async {
        let target = head.path ?? ""
        let path = String(target.split(separator: "?", maxSplits: 1).first ?? "")
        let callID = String(path.dropFirst(CallerProtocol.pathPrefix.count).dropLast(CallerProtocol.pathSuffix.count))
        let token = RealtimeEndpoint.query(target)["token"] ?? ""
        func refuse(_ why: String) async {
            logger.info("caller refused", metadata: ["call_id": "\(callID)", "reason": "\(why)"])
            try? await Task.sleep(for: .milliseconds(100))
            try? await outbound.close(.init(codeNumber: Int(CallSocketRefusal.callerRefused.code)), reason: why)
        }
        let (hub, store) = (hub, store)
        guard let call = await OwnTask.run({ try? await store.callForCaller(callID, token: token) }) else {
            return await refuse("unknown call or bad token")
        }
        guard store.clock.now().timeIntervalSince(call.createdAt) <= configuration.callerTokenLifetime else {
            return await refuse("the token has expired")
        }
        let (outgoing, outbox) = AsyncStream.makeStream(of: SocketOutgoing.self)
        let connectionID = SocketConnectionID.next()
        let socket = SocketOutbox(connectionID: connectionID, send: { outbox.yield($0) })
        let attachment = await OwnTask.run { await hub.attach(.caller, callID, token: token, outbox: socket) }
        if case .refused(let refusal) = attachment { return await refuse(refusal.reason) }
        let writer = Task { await SocketWriter.run(outgoing, to: outbound) }
        do {
            for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                guard case .text(let text) = message, let frame = CallerProtocol.clientMessage(text) else {
                    logger.warning("caller frame that is not the protocol's", metadata: ["call_id": "\(callID)"])
                    outbox.yield(.close(code: 1002, reason: "frames are JSON objects with an event"))
                    break
                }
                if case .unknown(let event) = frame {
                    logger.warning("caller sent an unknown event", metadata: ["call_id": "\(callID)", "event": "\(event)"])
                    outbox.yield(.close(code: 1002, reason: "unknown event \(event)"))
                    break
                }
                if case .relayed = attachment {
                    hub.relay.forward(connectionID, text: text)
                } else {
                    await OwnTask.run { await hub.fromCaller(callID, frame) }
                }
            }
        } catch {}
        if case .relayed = attachment {
            hub.relay.forward(connectionID, text: nil)
            hub.relay.forget(connectionID)
        } else {
            await OwnTask.run { await hub.callerClosed(callID, connectionID: connectionID) }
        }
        outbox.finish()
        await writer.value
    }
}
