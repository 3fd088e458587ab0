import Foundation
import HTTPTypes
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import UnpodCore
import UnpodPersistence

/// `/v1/internal/workers`: the control socket of the unchanged `unpod` SDK's `AgentRunner`
/// (agent-runner-protocol.md section 1). The runner authenticates with the upgrade's headers
/// (`Authorization: Token …` with `Org-Handle`, or `Bearer …` with a key restricted to one
/// organization), registers for one agent of that organization, and heartbeats; it is then one of
/// the agent's runners on this node (``RunnerRegistry``), and ``CallHub`` gives it calls.
///
/// A refusal comes after the upgrade, as a close code the SDK understands (``RunnerClose``): an
/// HTTP 401 on the upgrade would make it retry forever.
struct RunnerEndpoint: WebSocketService {
    static let maxMessageBytes = 64 * 1024
    static let maxConcurrent = 1_000
    /// The SDK's own default when `max_concurrent` is not sent.
    static let defaultConcurrent = 50

    let authenticator: Authenticator
    let addresses: ClientAddressResolver
    let store: SQLStore
    let registry: RunnerRegistry
    /// Where a runner's `job.ack` goes.
    let calls: CallHub
    let configuration: RunnerConfiguration
    /// Where runners dial their bridges: this node (the calls they take may be held by another).
    let webSocketBase: WebSocketBase

    func handles(_ head: HTTPRequest) -> Bool {
        let path = head.path ?? ""
        return path == RunnerProtocol.path || path.hasPrefix(RunnerProtocol.path + "?")
    }

    func serve(
        _ head: HTTPRequest, peer: SocketAddress?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        logger: Logger
    ) async {
        let membership: Membership
        switch await admit(head, peer: peer) {
        case .success(let admitted): membership = admitted
        case .failure(let close):
            logger.info("runner refused", metadata: ["reason": "\(close.reason)"])
            return await Self.refuse(outbound, close)
        }
        var logger = logger
        logger[metadataKey: "org"] = "\(membership.organization.domainHandle)"
        let connection = RunnerConnection(
            endpoint: self, membership: membership, bridgeBase: webSocketBase.url(authority: head.authority), outbound: outbound,
            logger: logger)
        await connection.run(inbound.messages(maxSize: Self.maxMessageBytes).makeAsyncIterator())
    }

    /// The key's organization, if the key may run agents there: `write` scope, and an owner or
    /// admin of the organization `Org-Handle` names (or the one the key is restricted to).
    func admit(_ head: HTTPRequest, peer: SocketAddress?) async -> Result<Membership, RunnerClose> {
        let headers = head.headerFields
        let client = { addresses.address(peer: peer, forwardedFor: headers[.xForwardedFor]) }
        let caller: Caller
        do {
            switch try authenticator.authenticateFromCache(authorization: headers[.authorization], client: client) {
            case .admitted(let cached): caller = cached
            case .miss(let miss): caller = try await authenticator.authenticate(miss, client: client)
            }
        } catch let error as APIError {
            return .failure(.refused(error.message))
        } catch {
            return .failure(.refused("the key could not be checked"))
        }
        guard caller.scopes.contains(ScopeSet(.write)) else { return .failure(.refused("the key needs the write scope")) }
        let membership: Membership
        if let handle = headers[.orgHandle], !handle.isEmpty {
            guard let named = caller.membership(handle: handle) else {
                return .failure(.refused("the key may not act in organization \(handle)"))
            }
            membership = named
        } else if let orgID = caller.restrictedOrgID, let only = caller.memberships.first(where: { $0.organization.id == orgID }) {
            membership = only
        } else {
            return .failure(.refused("Org-Handle is required (or a key restricted to one organization)"))
        }
        guard membership.role >= .admin else {
            return .failure(.refused("only owners and admins of \(membership.organization.domainHandle) run its agents"))
        }
        return .success(membership)
    }

    static func close(_ outbound: WebSocketOutboundWriter, _ reason: RunnerClose) async {
        try? await outbound.close(.init(codeNumber: Int(reason.code)), reason: reason.reason)
    }

    /// Closes a connection refused at once, after the same short wait as the room server's
    /// (a close frame written right after the upgrade was sometimes lost).
    static func refuse(_ outbound: WebSocketOutboundWriter, _ reason: RunnerClose) async {
        try? await Task.sleep(for: .milliseconds(100))
        await close(outbound, reason)
    }
}
