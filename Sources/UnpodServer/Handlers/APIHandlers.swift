import NIOCore
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// The generated server's handlers (`APIProtocol`): one method per operation of the API
/// description, each able to return only what the document declares for it. Authentication and
/// tenancy already happened (``AccessMiddleware``); the request's context, with its caller, is
/// ``APIRequestScope``'s. Extensions by resource, one file each.
struct APIHandlers: APIProtocol {
    let store: SQLStore
    let clock: any WallClock
    let addresses: ClientAddressResolver
    /// Clears this node's auth cache, so a change to keys is seen on the very next request.
    let authChanged: @Sendable () -> Void
    /// Wakes this node's idle workers when a run is created.
    let dispatch: DispatchSignal
    let tokens: AccessTokenSettings
    /// This node's live calls.
    let calls: CallHub
    let callConfiguration: CallConfiguration
    /// How custom tools are checked on write.
    let customTools: CustomToolRules
    /// How webhook endpoints' URLs are checked on write.
    let webhooks: WebhookEndpointRules
}

extension APIHandlers {
    /// Who the audit log names for a write: the calling key, with its address and request id.
    func auditActor() throws -> AuditActor {
        let context = try APIRequestScope.current()
        return .caller(try context.requireCaller(), context: context, addresses: addresses, forwardedFor: context.forwardedFor)
    }
}
