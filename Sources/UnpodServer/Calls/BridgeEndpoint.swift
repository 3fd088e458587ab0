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
/// `call.started`, then relays.
struct BridgeEndpoint: WebSocketService {
    static let maxMessageBytes = 256 * 1024
    static let unknownCall: UInt16 = 4003
    static let alreadyLive: UInt16 = 4009

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
        switch await hub.attachBridge(callID, token: token, outbox: socket) {
        case .success: break
        case .failure(let refusal):
            logger.info("bridge dial refused", metadata: ["call_id": "\(callID)", "refusal": "\(refusal)"])
            try? await Task.sleep(for: .milliseconds(100))
            let (code, reason) =
                refusal == .busy
                ? (Self.alreadyLive, "a bridge socket for this call is live") : (Self.unknownCall, "unknown call, bad token or ended call")
            try? await outbound.close(.init(codeNumber: Int(code)), reason: reason)
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
                switch frame {
                case .hello: await hub.bridgeHello(callID)
                case .verb(let verb): await hub.fromRunner(callID, verb)
                case .other(let event): logger.debug("bridge event not acted on", metadata: ["event": "\(event)"])
                }
            }
            clean = true
        } catch {
            clean = false
        }
        await hub.bridgeClosed(callID, connectionID: connectionID, clean: clean)
        outbox.finish()
        await writer.value
    }
}
