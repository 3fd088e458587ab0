import UnpodCore

/// What one node tells another about live calls, over PostgreSQL's `LISTEN`/`NOTIFY` (one JSON
/// object per notification, on ``RelayChannel/calls``). Every node hears every event and acts on
/// those addressed `to` it (or to all). A kind this node does not know fails to decode and is
/// ignored.
///
/// The node holding a call (the one it was created on) keeps its whole state; a runner, a bridge
/// or a caller side connected to another node is reached through these events.
struct CallRelayEvent: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        /// A node (re)started listening: the others send their presence at once.
        case hello
        /// A node's runners and their load, and the organizations whose phone gateways there have
        /// room; also its heartbeat (a node silent for long is gone).
        case presence
        /// Holder → the runner's node: offer the call to runner `connection` (`assignment`).
        case assign
        /// The runner's node → holder: the runner's `job.ack` (`assignID`, `accepted`, `reason`).
        case ack
        /// Holder → the runner's node: the job ended; its place on runner `connection` is free.
        case release
        /// Holder → the runner's node: send `job.cancel` for `jobID` to runner `connection`.
        case cancel
        /// The socket's node → holder: socket `socket` dialed the call (`side`, and `token` for a bridge).
        case open
        /// Holder → the socket's node: the dial is taken (`code` nil) or refused with `code` and `reason`.
        case opened
        /// The socket's node → holder: a text from socket `socket`, or (no `text`) its close, `clean` or not.
        case frame
        /// Holder → the socket's node: write `text` on socket `socket`, or (no `text`) close it with `code`, `reason`.
        case send
        /// Any node → holder: hang the call up with `reason`.
        case hangup
        /// The node a phone call was made on → a node with a gateway of its organization: hold
        /// and place call `call` (of organization `org`, agent `agent`, caller side at `mediaURL`
        /// with `token`); `calls.node_id` already names the addressee.
        case place
    }

    /// The sender.
    var node: String
    /// The addressee; nil for every node.
    var to: String?
    var kind: Kind
    var runners: [RunnerSummary]?
    var gatewayOrgs: [Int]?
    var org: Int?
    var agent: Int?
    var mediaURL: String?
    var connection: Int?
    var assignment: RunnerJobAssignment?
    var assignID: String?
    var jobID: String?
    var accepted: Bool?
    var reason: String?
    var call: String?
    var side: CallSocketSide?
    var socket: Int?
    var token: String?
    var text: String?
    var code: UInt16?
    var clean: Bool?
}
