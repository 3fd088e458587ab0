import Foundation
import Logging
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

    /// A phone call made on this node: placed by a gateway here; with none here, handed to a node
    /// that has a gateway of the organization with room (it then holds the call); with none
    /// anywhere, it waits here for one until the queue timeout.
    func placePhoneCall(_ call: Call, agentRowID: Int, mediaURL: String, token: String) async {
        if relay.isConnected, !gateways.phoneOrganizations().contains(call.orgID), let node = relay.gatewayNode(orgID: call.orgID),
            (try? await store.moveCall(call.callID, from: nodeID, to: node)) == true
        {
            var place = relay.event(.place, to: node)
            place.call = call.callID
            place.org = call.orgID
            place.agent = agentRowID
            place.mediaURL = mediaURL
            place.token = token
            relay.publish(place)
            logger.info("phone call handed to a node with a gateway", metadata: ["call_id": "\(call.callID)", "node": "\(node)"])
            return
        }
        await startPhoneCall(call, agentRowID: agentRowID, mediaURL: mediaURL, token: token)
    }

    /// A phone call another node handed to this one (``placePhoneCall``): held and placed here.
    func adoptPhoneCall(_ callID: String, orgID: Int, agentRowID: Int, mediaURL: String, token: String) async {
        guard calls[callID] == nil, let call = try? await store.call(callID, orgID: orgID), !call.status.isTerminal else { return }
        await startPhoneCall(call, agentRowID: agentRowID, mediaURL: mediaURL, token: token)
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
