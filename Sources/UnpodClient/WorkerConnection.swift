import Foundation
import HummingbirdWSClient
import Logging
import NIOWebSocket
import Synchronization
import UnpodCore

/// What the server tells an agent worker (the worker protocol, version 1; README "Agent workers").
public enum WorkerEvent: Sendable, Equatable {
    /// Registered: the worker's id, how long a lease lasts, how often to heartbeat.
    case registered(workerID: String, leaseSeconds: Int, heartbeatSeconds: Int)
    /// A task to carry out under `leaseID`, until `expiresAt` unless renewed by heartbeats.
    case assignment(leaseID: String, expiresAt: Date, task: CallTask)
    /// The answer to a result, failure, heartbeat or progress: `completed`, `failed` (with
    /// `retry`), `renewed`, `refused` (the lease is no longer current) or `error`.
    case answer(type: String, leaseID: String?, retry: Bool?, reason: String?)
    /// A phone call for this gateway (registered with `gateway: true`): dial `to_number` (outbound)
    /// or carry the inbound call it reported, speaking for the person on the line at `media_url`.
    case call(PhoneCallAssignment)
    /// An inbound call the gateway reported was refused, and why.
    case callRefused(toNumber: String?, reason: String)
    /// A call this gateway carries ended on the server's side.
    case callEnded(callID: String, status: String, endReason: String?)
    /// The connection ended: the server's close code and reason (nil when it gave none).
    case closed(code: Int?, reason: String?)
}

/// An agent worker's connection to `/agents/worker` (issue 9, item 4): a voice runtime plugs in
/// here. Assignments arrive on ``events``; answer each with ``complete(_:output:)`` or
/// ``fail(_:reason:)``, and call ``heartbeat(_:)`` (or ``progress(_:)``) at the interval
/// ``WorkerEvent/registered(workerID:leaseSeconds:heartbeatSeconds:)`` gives, or the lease runs
/// out and the task goes to another worker.
///
/// ```swift
/// let token = try await AccessTokenBuilder(keyID: keyID, secret: apiKey, identity: "worker-1",
///                                          video: VideoGrant(agent: true)).build()
/// let worker = WorkerConnection(serverURL: "ws://127.0.0.1:8000", token: token, agents: ["sales-bot"], capacity: 4)
/// for await event in worker.events { ... }
/// ```
public final class WorkerConnection: Sendable {
    public let events: AsyncStream<WorkerEvent>
    private let writer = Mutex<WebSocketOutboundWriter?>(nil)

    /// - Parameters:
    ///   - serverURL: `ws://host:port` or `wss://…`.
    ///   - token: an access token with the `agent` grant, from a `write` key of an owner or admin.
    ///   - organization: the `org` parameter, for a token and key that name no organization.
    ///   - gateway: also carry the organization's phone calls (``WorkerEvent/call(_:)``).
    public init(serverURL: String, token: String, agents: [String], capacity: Int, organization: String? = nil, gateway: Bool = false) {
        let (stream, continuation) = AsyncStream.makeStream(of: WorkerEvent.self)
        events = stream
        var query = ["access_token": token]
        if let organization { query["org"] = organization }
        let allowed = CharacterSet.urlQueryAllowed.subtracting(["&", "=", "+"])
        let base = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        let url = base + WorkerProtocol.path + "?"
            + query.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)" }
            .sorted().joined(separator: "&")
        Task {
            let close: WebSocketCloseFrame?
            do {
                close = try await WebSocketClient.connect(url: url, logger: Logger(label: "unpod.worker")) { inbound, outbound, _ in
                    try await outbound.write(.text(WorkerProtocol.encode(WorkerClientMessage.register(agents: agents, capacity: capacity, gateway: gateway))))
                    self.writer.withLock { $0 = outbound }
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        guard case .text(let text) = message,
                            let frame = WorkerProtocol.serverMessage(text)
                        else { continue }
                        continuation.yield(Self.event(frame))
                    }
                }
            } catch {
                close = nil
            }
            self.writer.withLock { $0 = nil }
            continuation.yield(.closed(code: close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }, reason: close?.reason))
            continuation.finish()
        }
    }

    public func heartbeat(_ leaseID: String) async throws {
        try await send(.heartbeat(leaseID: leaseID))
    }

    /// The call started: the task (and its run) show `running`; also renews the lease.
    public func progress(_ leaseID: String) async throws {
        try await send(.progress(leaseID: leaseID, status: "running"))
    }

    /// The task's result: the output object of platform-api.md 2.4.3 (`call_id`, times, `transcript`,
    /// `call_summary`, `post_call_data`, `duration`, `recording_url`, `metadata.cost`, …).
    public func complete(_ leaseID: String, output: JSONValue) async throws {
        try await send(.complete(leaseID: leaseID, output: output))
    }

    /// The task could not be carried out; the server retries it while attempts remain.
    public func fail(_ leaseID: String, reason: String) async throws {
        try await send(.fail(leaseID: leaseID, reason: reason))
    }

    /// A gateway's news of a phone call: `ringing`, `active`, or `notConnected` with LiveKit's end
    /// reason (`USER_DID_NOT_PICK_UP`, `USER_REJECTED`, …).
    public func callStatus(_ callID: String, _ status: String, reason: String? = nil) async throws {
        try await send(.callStatus(callID: callID, status: status, reason: reason))
    }

    /// A gateway's inbound call to one of the organization's numbers: answered with
    /// ``WorkerEvent/call(_:)`` (the agent attached to the number takes it) or ``WorkerEvent/callRefused(toNumber:reason:)``.
    public func reportInboundCall(to toNumber: String, from fromNumber: String) async throws {
        try await send(.inboundCall(toNumber: toNumber, fromNumber: fromNumber))
    }

    /// Closes the connection; the server gives this worker's unanswered leases to others.
    public func close() async throws {
        try await writer.withLock { $0 }?.close(.normalClosure, reason: "worker stopping")
    }

    private func send(_ message: WorkerClientMessage) async throws {
        let start = ContinuousClock.now
        var writer = writer.withLock { $0 }
        while writer == nil, ContinuousClock.now - start < .seconds(10) {
            try await Task.sleep(for: .milliseconds(5))
            writer = self.writer.withLock { $0 }
        }
        guard let writer else { throw RoomConnectionError.notConnected }
        try await writer.write(.text(WorkerProtocol.encode(message)))
    }

    private static func event(_ message: WorkerServerMessage) -> WorkerEvent {
        switch message {
        case .registered(let workerID, let leaseSeconds, let heartbeatSeconds):
            .registered(workerID: workerID, leaseSeconds: leaseSeconds, heartbeatSeconds: heartbeatSeconds)
        case .assignment(let lease, let expiry, let task): .assignment(leaseID: lease, expiresAt: expiry, task: task)
        case .renewed(let lease): .answer(type: message.type, leaseID: lease, retry: nil, reason: nil)
        case .completed(let lease): .answer(type: message.type, leaseID: lease, retry: nil, reason: nil)
        case .failed(let lease, let retry): .answer(type: message.type, leaseID: lease, retry: retry, reason: nil)
        case .refused(let lease, let reason): .answer(type: message.type, leaseID: lease, retry: nil, reason: reason)
        case .error(let lease, let reason): .answer(type: message.type, leaseID: lease, retry: nil, reason: reason)
        case .callAssign(let call): .call(call)
        case .callRefused(let toNumber, let reason): .callRefused(toNumber: toNumber, reason: reason)
        case .callEnded(let callID, let status, let endReason): .callEnded(callID: callID, status: status, endReason: endReason)
        case .callUpdated: .answer(type: message.type, leaseID: nil, retry: nil, reason: nil)
        case .unknown(let type): .answer(type: type, leaseID: nil, retry: nil, reason: nil)
        }
    }
}
