import Hummingbird
import Logging
import UnpodCore
import UnpodPersistence

/// Builds the HTTP application over an opened store.
///
/// - Parameters:
///   - credentials: where the auth check looks keys up on a cache miss; the store itself unless a
///     test wants to watch or forbid those lookups.
///   - logHandler: where log lines go (tests capture them to prove no token is ever logged).
public func buildApplication(
    configuration: ServerConfiguration, store: SQLStore, credentials: (any CredentialStore)? = nil,
    logger: Logger? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "unpod")
    logger.logLevel = configuration.logLevel

    let cache = AuthCache()
    let products = ProductCatalog(try await store.productHandles())
    let lastUsed = LastUsedRecorder(store: store, interval: configuration.lastUsedFlushInterval, logger: logger)
    var rateLimiter: RateLimiter?
    if let text = configuration.rateLimit {
        guard let rule = RateLimiter.Rule(parsing: text) else {
            throw ConfigurationError("rate limit \(text): use a count per period such as 600/min or 20/s")
        }
        rateLimiter = RateLimiter(rule: rule)
    }
    let authenticator = Authenticator(
        vault: store.vault, credentials: credentials ?? store, cache: cache, clock: configuration.clock,
        lastUsed: lastUsed, rateLimiter: rateLimiter)
    let watcher = AuthEpochWatcher(
        store: store, cache: cache, products: products, interval: configuration.authEpochPollInterval, logger: logger)

    let router = Router(context: AppRequestContext.self)
    router.addMiddleware {
        APIErrorMiddleware()
        LogRequestsMiddleware(.debug)
    }
    HealthController().addRoutes(to: router)

    let platform = router.group("api/v2/platform")
    func group(_ policy: AccessPolicy) -> RouterGroup<AppRequestContext> {
        platform.group().add(middleware: AuthMiddleware(authenticator: authenticator, products: products, policy: policy))
    }
    OrganizationController().addRoutes(to: group(AccessPolicy(organization: .notUsed, scope: .byMethod)))
    APIKeyController(store: store, clock: configuration.clock, authChanged: { cache.invalidateAll() })
        .addRoutes(to: group(AccessPolicy(organization: .notUsed, scope: .always(.admin))))
    CallLogController(store: store).addRoutes(to: group(AccessPolicy(organization: .required, scope: .byMethod)))

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: [watcher, lastUsed],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}

/// A setting the server cannot start with.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
