import Hummingbird
import NIOCore
import UnpodCore
import UnpodPersistence

extension AppRequestContext {
    /// Who makes a change over the API: the caller's user and key, its address, this request's id.
    func auditActor(_ request: Request, addresses: ClientAddressResolver) throws -> AuditActor {
        .caller(try requireCaller(), context: self, addresses: addresses, forwardedFor: request.headers[.xForwardedFor])
    }
}

extension AuditActor {
    /// The caller of an API request, with the address and request id it came with.
    static func caller(
        _ caller: Caller, context: AppRequestContext, addresses: ClientAddressResolver, forwardedFor: String?
    ) -> AuditActor {
        .apiKey(
            caller.keyID, userID: caller.userID, email: nil,
            clientAddress: addresses.address(peer: context.channel.remoteAddress, forwardedFor: forwardedFor),
            requestID: context.requestID)
    }
}
