import Foundation
import UnpodCore
import UnpodPersistence

/// A call in flight on this node: its sockets, the runner that took it, and the transcript so far.
struct LiveCall: Sendable {
    var call: Call
    let agentRowID: Int
    /// The runner's `call_token` for the bridge (set when a runner accepts the job).
    var runnerToken: String?
    var jobID: String
    var runnerConnectionID: Int?
    /// The node the runner is connected to; nil for this one.
    var runnerNode: String?
    var bridge: SocketOutbox?
    var bridgeGreeted = false
    var caller: SocketOutbox?
    var transcript: [TranscriptTurn] = []
    /// The streamed reply being assembled (deltas since the last `agent.text.end`).
    var reply = ""
    /// User turns sent to the runner whose `agent.text.end` has not come yet.
    var repliesOwed = 0
    /// User turns said before the bridge was up, sent once it is.
    var waitingTurns: [String] = []
    /// Set once the call is ending: no more turns are taken.
    var ending = false
    /// Whether a runner is being sought (a web call waits for its caller side first).
    var dispatched = false
    /// The server-run brain answering this call (prompt or endpoint), instead of a runner.
    var serverBrain: ChatEndpoint?
    /// The tools the server-run brain offers its model.
    var toolbox: Toolbox?
    /// The server-run brain's reply being streamed (the next waits for it; an interruption cancels it).
    var replyTask: Task<Void, Never>?
    /// The longest this call may last once connected: the agent's `max_call_duration_s`, else the server's.
    var maxDuration: Duration?
    /// The phone gateway carrying the call (this node's connection id), for phone calls.
    var gatewayConnectionID: Int?
    /// The campaign task this call carries out, completed with the call's end.
    var taskLease: CallTaskLease?
    /// Ends the call at its longest duration; cancelled when it ends sooner.
    var durationLimit: Task<Void, Never>?
    /// Ends the call if its caller side never connects; cancelled once it does.
    var callerDeadline: Task<Void, Never>?
    /// Fails the call if its runner accepted and does not greet on the bridge; cancelled on `hello`.
    var dialDeadline: Task<Void, Never>?

    /// Whether the call holds one of its agent's `max_concurrent` places.
    var holdsAgentPlace: Bool { runnerConnectionID != nil || serverBrain != nil }
}
