import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import UnpodCore

/// `/v1/bridge/{call}?token=…`: the runner's side of one call (agent-runner-protocol.md section 2).
/// 4003 for an unknown call, a bad token or a dial after the call ended; 4009 while another
/// bridge socket of the call is live. The runner says `hello`; the hub answers `hello.ack` and
/// `call.started`, then relays. A runner connected to this node dials here even when another
/// node holds the call: its frames then go to that node (``CallRelay``).
struct BridgeEndpoint: WebSocketService {
    static let maxMessageBytes = 256 * 1024

    let hub: CallHub

    func handles(_ head: HTTPRequest) -> Bool {
        (head.path ?? "").hasPrefix(BridgeProtocol.pathPrefix)
    }

    func serve(
        _ head: HTTPRequest, peer: SocketAddress?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        logger: Logger
    ) async {
        let target = head.path ?? ""
        let path = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        let callID = String(path.dropFirst(BridgeProtocol.pathPrefix.count))
        let token = RealtimeEndpoint.query(target)["token"] ?? ""
        let (outgoing, outbox) = AsyncStream.makeStream(of: SocketOutgoing.self)
        let connectionID = SocketConnectionID.next()
        let socket = SocketOutbox(connectionID: connectionID, send: { outbox.yield($0) })
        let hub = hub
        let attachment = await OwnTask.run { await hub.attach(.bridge, callID, token: token, outbox: socket) }
        if case .refused(let refusal) = attachment {
            logger.info("bridge dial refused", metadata: ["call_id": "\(callID)", "code": "\(refusal.code)"])
            try? await Task.sleep(for: .milliseconds(100))
            try? await outbound.close(.init(codeNumber: Int(refusal.code)), reason: refusal.reason)
            return
        }
        let writer = Task { await SocketWriter.run(outgoing, to: outbound) }
        var clean = false
        do {
            for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                guard case .text(let text) = message, let frame = BridgeProtocol.runnerMessage(text) else {
                    logger.warning("bridge frame that is not the protocol's", metadata: ["call_id": "\(callID)"])
                    continue
                }
                if case .relayed = attachment {
                    hub.relay.forward(connectionID, text: text)
                } else {
                    await OwnTask.run { await hub.fromBridge(callID, frame) }
                }
            }
            clean = true
        } catch {
            clean = false
        }
        if case .relayed = attachment {
            hub.relay.forward(connectionID, text: nil, clean: clean)
            hub.relay.forget(connectionID)
        } else {
            let clean = clean
            await OwnTask.run { await hub.bridgeClosed(callID, connectionID: connectionID, clean: clean) }
        }
        outbox.finish()
        await writer.value
    }
}
