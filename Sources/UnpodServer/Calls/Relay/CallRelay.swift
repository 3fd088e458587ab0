import Foundation
import Synchronization
import UnpodCore

/// This node's side of live calls across nodes (issue 17, item 8): what it knows of the other
/// nodes' runners, the sockets connected here whose call another node holds, the sockets of other
/// nodes attached to calls held here, and the jobs its runners took for other nodes. The events
/// themselves go out through ``CallRelayService``; with no relay (SQLite, one node) nothing here
/// is ever filled.
final class CallRelay: Sendable {
    /// A socket connected to this node whose call another node holds.
    struct ProxiedSocket: Sendable {
        let holder: String
        let outbox: SocketOutbox
    }

    /// A socket of another node, attached to a call held here.
    struct HeldSocket: Sendable {
        let callID: String
        let side: CallSocketSide
        /// Its id among this node's sockets (``SocketConnectionID``).
        let localID: Int
    }

    struct SocketKey: Hashable, Sendable {
        let node: String
        let socket: Int
    }

    /// A job one of this node's runners took for a call another node holds.
    struct RelayedJob: Sendable {
        let holder: String
        let connectionID: Int
        let assignID: String
    }

    private struct RemoteNode {
        var runners: [RunnerSummary]
        var gatewayOrgs: [Int]
        var heardAt: ContinuousClock.Instant
    }

    let nodeID: String
    private let publisher = Mutex<(@Sendable (CallRelayEvent) -> Void)?>(nil)
    private let nodes = Mutex<[String: RemoteNode]>([:])
    private let proxied = Mutex<[Int: ProxiedSocket]>([:])
    private let opens = Mutex<[Int: CheckedContinuation<CallRelayEvent?, Never>]>([:])
    private let held = Mutex<[SocketKey: HeldSocket]>([:])
    private let jobs = Mutex<[String: RelayedJob]>([:])

    init(nodeID: String) {
        self.nodeID = nodeID
    }

    /// Whether other nodes can be reached (PostgreSQL, with the relay service running).
    var isConnected: Bool { publisher.withLock { $0 != nil } }

    func connect(_ publish: @escaping @Sendable (CallRelayEvent) -> Void) {
        publisher.withLock { $0 = publish }
    }

    func publish(_ event: CallRelayEvent) {
        publisher.withLock { $0 }?(event)
    }

    func event(_ kind: CallRelayEvent.Kind, to node: String?) -> CallRelayEvent {
        CallRelayEvent(node: nodeID, to: node, kind: kind)
    }

    // MARK: Other nodes' runners

    /// Any event from `node`; a presence (non-nil `runners`) also says what it has.
    func heard(from node: String, runners: [RunnerSummary]?, gatewayOrgs: [Int]?) {
        nodes.withLock { nodes in
            nodes[node] = RemoteNode(
                runners: runners ?? nodes[node]?.runners ?? [], gatewayOrgs: gatewayOrgs ?? nodes[node]?.gatewayOrgs ?? [],
                heardAt: .now)
        }
    }

    /// A node with a phone gateway of the organization that has room, if any.
    func gatewayNode(orgID: Int) -> String? {
        nodes.withLock { nodes in nodes.filter { $0.value.gatewayOrgs.contains(orgID) }.keys.sorted().first }
    }

    /// The runners of an agent on the other nodes, with their node.
    func remoteRunners(agentRowID: Int) -> [(node: String, runner: RunnerSummary)] {
        nodes.withLock { nodes in
            nodes.flatMap { node, remote in remote.runners.filter { $0.agentRowID == agentRowID }.map { (node, $0) } }
        }
    }

    /// Forgets the nodes silent for `silence`, and answers them: their calls, sockets and jobs are gone.
    func silentNodes(silence: Duration) -> [String] {
        let now = ContinuousClock.now
        return nodes.withLock { nodes in
            let silent = nodes.filter { now - $0.value.heardAt > silence }.map(\.key)
            for node in silent { nodes.removeValue(forKey: node) }
            return silent
        }
    }

    // MARK: Sockets connected here, calls held elsewhere

    /// Asks `holder` to take socket `socketID` (dialed here) for a call it holds; nil when it did,
    /// else the close code and reason to give the socket. No answer within `timeout` is a refusal.
    func open(
        _ side: CallSocketSide, callID: String, token: String?, holder: String, socket: SocketOutbox, timeout: Duration
    ) async -> (code: UInt16, reason: String)? {
        proxied.withLock { $0[socket.connectionID] = ProxiedSocket(holder: holder, outbox: socket) }
        var request = event(.open, to: holder)
        request.call = callID
        request.side = side
        request.socket = socket.connectionID
        request.token = token
        let socketID = socket.connectionID
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.answerOpen(socketID, nil)
        }
        defer { timer.cancel() }
        let answer = await withCheckedContinuation { continuation in
            opens.withLock { $0[socketID] = continuation }
            publish(request)
        }
        guard let answer else {
            forget(socketID)
            return (1011, "the node holding the call did not answer")
        }
        if let code = answer.code {
            forget(socketID)
            return (code, answer.reason ?? "refused")
        }
        return nil
    }

    /// The holder's answer to an open (nil: none came in time).
    func answerOpen(_ socketID: Int, _ answer: CallRelayEvent?) {
        opens.withLock { $0.removeValue(forKey: socketID) }?.resume(returning: answer)
    }

    /// A text or (nil) the close of a socket connected here, to the node holding its call.
    func forward(_ socketID: Int, text: String?, clean: Bool = true) {
        guard let socket = proxied.withLock({ $0[socketID] }) else { return }
        var frame = event(.frame, to: socket.holder)
        frame.socket = socketID
        frame.text = text
        if text == nil { frame.clean = clean }
        publish(frame)
    }

    func forget(_ socketID: Int) {
        proxied.withLock { _ = $0.removeValue(forKey: socketID) }
    }

    /// What the holder sends to a socket connected here.
    func deliver(_ event: CallRelayEvent) {
        guard let socketID = event.socket, let socket = proxied.withLock({ $0[socketID] }), socket.holder == event.node else { return }
        if let text = event.text {
            socket.outbox.send(.text(text))
        } else {
            socket.outbox.send(.close(code: event.code ?? 1000, reason: event.reason ?? "call ended"))
        }
    }

    /// Closes the sockets connected here whose holder stopped (its calls ended `failed` there).
    func holderGone(_ node: String) {
        let orphans = proxied.withLock { proxied in
            let orphans = proxied.filter { $0.value.holder == node }
            for key in orphans.keys { proxied.removeValue(forKey: key) }
            return orphans.values
        }
        for socket in orphans { socket.outbox.send(.close(code: 1011, reason: "the node holding the call stopped")) }
    }

    // MARK: Sockets of other nodes, calls held here

    /// Attaches another node's socket to a call held here: the outbox through which the call's
    /// hub writes to it.
    func hold(_ key: SocketKey, callID: String, side: CallSocketSide) -> SocketOutbox {
        let localID = SocketConnectionID.next()
        held.withLock { $0[key] = HeldSocket(callID: callID, side: side, localID: localID) }
        return SocketOutbox(connectionID: localID) { [self] outgoing in
            var message = event(.send, to: key.node)
            message.socket = key.socket
            switch outgoing {
            case .text(let text): message.text = text
            case .close(let code, let reason):
                message.code = code
                message.reason = reason
            }
            publish(message)
        }
    }

    func heldSocket(_ key: SocketKey) -> HeldSocket? {
        held.withLock { $0[key] }
    }

    func release(_ key: SocketKey) {
        held.withLock { _ = $0.removeValue(forKey: key) }
    }

    /// The sockets of `node` attached here (it stopped), forgotten.
    func heldSockets(of node: String) -> [HeldSocket] {
        held.withLock { held in
            let gone = held.filter { $0.key.node == node }
            for key in gone.keys { held.removeValue(forKey: key) }
            return Array(gone.values)
        }
    }

    // MARK: Jobs this node's runners took for other nodes

    func took(_ job: RelayedJob, jobID: String) {
        jobs.withLock { $0[jobID] = job }
    }

    /// The job an `assign_id` belongs to, if another node holds its call.
    func relayedJob(assignID: String) -> RelayedJob? {
        jobs.withLock { jobs in jobs.values.first { $0.assignID == assignID } }
    }

    func finished(jobID: String) -> RelayedJob? {
        jobs.withLock { $0.removeValue(forKey: jobID) }
    }

    /// The jobs taken for `node` (it stopped), forgotten.
    func jobs(of node: String) -> [RelayedJob] {
        jobs.withLock { jobs in
            let gone = jobs.filter { $0.value.holder == node }
            for key in gone.keys { jobs.removeValue(forKey: key) }
            return Array(gone.values)
        }
    }
}
