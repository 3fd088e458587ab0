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
    logger: Logger? = nil
) async throws -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "unpod")
    logger.logLevel = configuration.logLevel

    let cache = AuthCache()
    let products = ProductCatalog(try await store.productHandles())
    let lastUsed = LastUsedRecorder(store: store, interval: configuration.lastUsedFlushInterval, logger: logger)
    let authenticator = Authenticator(
        vault: store.vault, credentials: credentials ?? store, cache: cache, clock: configuration.clock,
        lastUsed: lastUsed)
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
        logger: logger)
}
