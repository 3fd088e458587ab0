import Hummingbird
import HummingbirdCore
import NIOCore
import UnpodCore

/// What a request carries through the middleware to its handler: who called (set by
/// ``AuthGuard``), in which organization, for which product.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller; set on every route behind ``AuthGuard``.
    public var caller: Caller?
    /// The organization named by `Org-Handle`, on routes that require one.
    public var membership: Membership?
    /// The `Product-ID` header's value, or the default product.
    public var productID: String = ProductCatalog.defaultProduct
    /// The id this request is answered and logged under (`X-Request-ID`); set by ``RequestIDMiddleware``.
    public var requestID: String = ""
    /// The largest body a handler reads; set from the configuration by ``BodyLimitMiddleware``.
    public var maxUploadSize: Int = ServerConfiguration.defaultMaxBodySize
    /// `X-Forwarded-For` as sent, for the generated server's handlers (which see no request):
    /// the client's address when a trusted proxy is in front (``ClientAddressResolver``).
    public var forwardedFor: String?
    /// The request's target, for the generated server's handlers that read filters by the
    /// platform's own rules (dates, enums with their documented messages).
    public var requestURI: URI?
    /// The TCP peer's address, read only when needed (failed authentication, audit events).
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The request's query parameters (none when the request came without a target).
    var query: FlatDictionary<Substring, Substring> {
        requestURI?.queryParameters ?? [:]
    }

    /// The caller, for handlers behind ``AuthGuard`` (a missing one is a routing mistake).
    func requireCaller() throws -> Caller {
        guard let caller else { throw APIError.notAuthenticated }
        return caller
    }

    /// The organization, for handlers whose policy requires one.
    func requireMembership() throws -> Membership {
        guard let membership else { throw APIError.orgHandleRequired }
        return membership
    }
}
