import Foundation
import UnpodCore
import UnpodPersistence

/// Calls across nodes (issue 17, item 8): a call is held by the node it was created on; its
/// runner, its bridge and its caller side may be on any node, reached through ``CallRelay``.
extension CallHub {
    /// How long a node waits for the holder's answer to a socket that dialed one of its calls.
    static let openTimeout = Duration.seconds(3)

    /// A socket that dialed a call (`token` is the runner's, for a bridge; a caller side's was
    /// checked against the database): attached here if the call is held here, else relayed to
    /// the live node that holds it, else refused.
    func attach(_ side: CallSocketSide, _ callID: String, token: String, outbox: SocketOutbox) async -> CallAttachment {
        if calls[callID] != nil {
            return attachHere(side, callID, token: token, outbox: outbox).map(CallAttachment.refused) ?? .here
        }
        let refusal: CallSocketRefusal = side == .bridge ? .unknownBridge : .callerRefused
        guard relay.isConnected, let holder = try? await store.callHolder(callID, silence: CallNodeWatch.silence), holder != nodeID else {
            return .refused(refusal)
        }
        if let (code, reason) = await relay.open(
            side, callID: callID, token: side == .bridge ? token : nil, holder: holder, socket: outbox, timeout: Self.openTimeout)
        {
            return .refused(CallSocketRefusal(code: code, reason: reason))
        }
        return .relayed
    }

    private func attachHere(_ side: CallSocketSide, _ callID: String, token: String, outbox: SocketOutbox) -> CallSocketRefusal? {
        switch side {
        case .bridge: attachBridge(callID, token: token, outbox: outbox)
        case .caller: attachCaller(callID, outbox: outbox) ? nil : .callerRefused
        }
    }

    /// Another node's socket dialed a call held here: nil when it is attached, else why not.
    func attachRemote(_ side: CallSocketSide, _ callID: String, token: String?, key: CallRelay.SocketKey) -> CallSocketRefusal? {
        guard calls[callID] != nil else { return side == .bridge ? .unknownBridge : .callerRefused }
        let refusal = attachHere(side, callID, token: token ?? "", outbox: relay.hold(key, callID: callID, side: side))
        if refusal != nil { relay.release(key) }
        return refusal
    }

    /// A text, or (nil) the close, of another node's socket attached to a call held here.
    func fromRemote(_ key: CallRelay.SocketKey, text: String?, clean: Bool) async {
        guard let socket = relay.heldSocket(key) else { return }
        guard let text else {
            relay.release(key)
            switch socket.side {
            case .bridge: await bridgeClosed(socket.callID, connectionID: socket.localID, clean: clean)
            case .caller: await callerClosed(socket.callID, connectionID: socket.localID)
            }
            return
        }
        switch socket.side {
        case .bridge:
            if let frame = BridgeProtocol.runnerMessage(text) { await fromBridge(socket.callID, frame) }
        case .caller:
            if let message = CallerProtocol.clientMessage(text) { await fromCaller(socket.callID, message) }
        }
    }

    /// A node stopped: the calls held here whose runner was there end `failed`, and its sockets
    /// attached here are closed as lost.
    func nodeGone(_ node: String, sockets: [CallRelay.HeldSocket]) async {
        for (callID, live) in calls where live.runnerNode == node && !live.ending {
            await end(callID, .failed, reason: "the node of the call's runner stopped")
        }
        for socket in sockets {
            switch socket.side {
            case .bridge: await bridgeClosed(socket.callID, connectionID: socket.localID, clean: false)
            case .caller: await callerClosed(socket.callID, connectionID: socket.localID)
            }
        }
    }
}
