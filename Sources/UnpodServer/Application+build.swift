import Hummingbird
import HummingbirdCore
import Logging
import OpenAPIRuntime
import ServiceLifecycle
import UnpodAPI
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
    let parts = try await buildRouter(configuration: configuration, store: store, credentials: credentials, logger: logger)
    return Application(
        router: parts.router,
        server: .guardedHTTP1(limits: configuration.limits, openConnections: parts.connections, webSockets: parts.webSockets),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
        services: parts.services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}

/// Every route the server answers, as `METHOD /path/{parameter}`: what the API description must name.
public func routeList(store: SQLStore) async throws -> [String] {
    let parts = try await buildRouter(
        configuration: ServerConfiguration(), store: store, credentials: nil, logger: Logger(label: "unpod.routes"))
    return parts.router.router.routes.map { "\($0.method) \($0.path)" }
}

/// The router with its middleware and controllers, and the services and counters they share.
private func buildRouter(
    configuration: ServerConfiguration, store: SQLStore, credentials: (any CredentialStore)?, logger: Logger
) async throws -> (
    router: ExactPathRouter<AppRequestContext>, services: [any Service], connections: ConnectionCounter, webSockets: [any WebSocketService]
) {
    let metrics = ServerMetrics()
    let connections = ConnectionCounter()
    let cache = AuthCache()
    let products = ProductCatalog(try await store.productHandles())
    let lastUsed = LastUsedRecorder(
        store: store, interval: configuration.lastUsedFlushInterval, logger: logger,
        health: BackgroundTaskHealth(task: "last_used_writer", metrics: metrics))
    let addresses = try ClientAddressResolver(trustedProxies: configuration.trustedProxies)
    let failureThrottle = try configuration.failedAuthLimit.map {
        FailedAuthThrottle(rule: try rule($0, "failed-authentication limit"))
    }
    let authenticator = Authenticator(
        vault: store.vault, credentials: credentials ?? store, cache: cache, clock: configuration.clock,
        lastUsed: lastUsed, rateLimiter: try configuration.rateLimit.map { RateLimiter(rule: try rule($0, "rate limit")) },
        failureThrottle: failureThrottle, metrics: metrics)
    var watcher = AuthEpochWatcher(
        store: store, cache: cache, products: products, interval: configuration.authEpochPollInterval, logger: logger,
        health: BackgroundTaskHealth(task: "auth_epoch_watcher", metrics: metrics))
    watcher.channel = try store.relayChannel(named: RelayChannel.auth, logger: logger)

    let lists = ListCache()
    let changes = DataChangeWatcher(
        store: store, cache: lists, interval: configuration.authEpochPollInterval, logger: logger,
        health: BackgroundTaskHealth(task: "data_change_watcher", metrics: metrics))

    let router = ExactPathRouter(Router(context: AppRequestContext.self))
    router.addMiddleware {
        RequestIDMiddleware()
        MetricsMiddleware(metrics: metrics)
        APIErrorMiddleware()
        LogRequestsMiddleware(.debug)
        BodyLimitMiddleware(maxBodySize: configuration.maxBodySize)
    }
    HealthController().addRoutes(to: router)
    let runnerRegistry = RunnerRegistry()
    MetricsController(
        metrics: metrics, store: store, connections: connections, runners: runnerRegistry, token: configuration.metricsToken)
        .addRoutes(to: router)

    let platform = router.group("api/v2/platform")
    OpenAPIController().addRoutes(to: platform)
    // The operations of the generated server (the generator config's filter): authentication and
    // tenancy by operation id, answers kept in memory, the platform's reading of requests and
    // queries, then the handler.
    let dispatch = DispatchSignal()
    let gatewayRegistry = GatewayRegistry()
    var callConfiguration = configuration.calls
    callConfiguration.toolCaller = CustomToolCaller(
        allowPrivate: configuration.allowPrivateDestinations, environment: configuration.toolEnvironment)
    let callHub = CallHub(
        store: store, runners: runnerRegistry, gateways: gatewayRegistry, configuration: callConfiguration, logger: logger)
    // A single-node server's calls lived in the process that stopped: none is left in flight.
    // (Several nodes on PostgreSQL: CallNodeWatch ends the calls of a node that stopped.)
    if store.database.engine == .sqlite,
        case let failed = try await store.failCallsInFlight(reason: "the server restarted during the call"), failed > 0
    {
        logger.warning("calls in flight when the server stopped ended failed", metadata: ["count": "\(failed)"])
    }
    try APIHandlers(
        store: store, clock: configuration.clock, addresses: addresses, authChanged: { cache.invalidateAll() },
        dispatch: dispatch, tokens: AccessTokenSettings(maxTTL: configuration.maxAccessTokenTTL, publicURL: configuration.publicURL),
        calls: callHub, callConfiguration: configuration.calls,
        customTools: CustomToolRules(allowPrivate: configuration.allowPrivateDestinations, environment: configuration.toolEnvironment),
        webhooks: WebhookEndpointRules(allowPrivate: configuration.allowPrivateDestinations))
        .registerHandlers(
            on: OpenAPIRoutes(parent: router), configuration: .unpod,
            middlewares: [
                AccessMiddleware(
                    check: AuthGuard(
                        authenticator: authenticator, products: products, addresses: addresses, lists: lists)),
                // A kept answer exists only for a request that once passed the rules below, so it
                // is served before them: the polled lists skip two steps.
                CachedAnswerMiddleware(lists: lists),
                LenientRequestMiddleware(),
                InputRulesMiddleware(),
            ])
    DashboardController(
        store: store, clock: configuration.clock, addresses: addresses, pages: DashboardPages(),
        signIn: SignInGuard(
            accountRule: try rule(configuration.signInAccountLimit, "sign-in limit per account"),
            addressRule: try rule(configuration.signInAddressLimit, "sign-in limit per address"), store: store),
        publicURLIsHTTPS: configuration.publicURL?.lowercased().hasPrefix("https://") ?? false,
        authChanged: { cache.invalidateAll() }, calls: callHub, publicURL: configuration.publicURL,
        webhookRules: WebhookEndpointRules(allowPrivate: configuration.allowPrivateDestinations)
    ).addRoutes(to: router)
    let realtime = RealtimeEndpoint(store: store, clock: configuration.clock, configuration: configuration.realtime)
    RealtimeValidation(endpoint: realtime).addRoutes(to: router)
    let invoices = InvoiceCloser(
        store: store, interval: .seconds(3600), logger: logger,
        health: BackgroundTaskHealth(task: "invoice_closer", metrics: metrics))
    let analytics = AnalyticsEvaluator(
        store: store, model: configuration.calls.languageModel, settings: configuration.calls.analytics, wake: callHub.callsEnded,
        logger: logger, health: BackgroundTaskHealth(task: "analytics_evaluator", metrics: metrics))
    let webhooks = WebhookDispatcher(
        store: store,
        sender: WebhookSender(
            allowPrivate: configuration.allowPrivateDestinations, timeout: configuration.webhooks.timeout, schedule: configuration.webhooks.schedule,
            clock: configuration.clock),
        settings: configuration.webhooks, wake: callHub.callsEnded, logger: logger,
        health: BackgroundTaskHealth(task: "webhook_dispatcher", metrics: metrics))
    var services: [any Service] = [watcher, changes, lastUsed, invoices, analytics, webhooks]
    if let failureThrottle {
        services.append(
            FailedAuthSharing(
                throttle: failureThrottle, store: store, clock: configuration.clock,
                interval: configuration.failedAuthShareInterval, logger: logger,
                health: BackgroundTaskHealth(task: "failed_auth_sharing", metrics: metrics)))
    }
    if let channel = try store.relayChannel(named: RelayChannel.rooms, logger: logger) {
        services.append(RoomRelayService(channel: channel, registry: realtime.registry, logger: logger))
    }
    if let channel = try store.relayChannel(named: RelayChannel.calls, logger: logger) {
        services.append(CallRelayService(channel: channel, hub: callHub, runners: runnerRegistry, logger: logger))
    }
    if store.database.engine == .postgres {
        services.append(
            CallNodeWatch(
                store: store, nodeID: callHub.nodeID, interval: .seconds(2), silence: CallNodeWatch.silence, logger: logger,
                health: BackgroundTaskHealth(task: "call_node_watch", metrics: metrics)))
    }
    let workers = WorkerEndpoint(
        authority: realtime.authority, configuration: configuration.workers, signal: dispatch, calls: callHub, gateways: gatewayRegistry,
        tokens: AccessTokenSettings(maxTTL: configuration.maxAccessTokenTTL, publicURL: configuration.publicURL))
    let runners = RunnerEndpoint(
        authenticator: authenticator, addresses: addresses, store: store, registry: runnerRegistry, calls: callHub,
        configuration: configuration.runners, webSocketBase: WebSocketBase(publicURL: configuration.publicURL))
    let bridges = BridgeEndpoint(hub: callHub)
    let callers = CallerEndpoint(hub: callHub, store: store, configuration: configuration.calls)
    return (router, services, connections, [realtime, workers, runners, bridges, callers])
}

private func rule(_ text: String, _ name: String) throws -> RateLimiter.Rule {
    guard let rule = RateLimiter.Rule(parsing: text) else {
        throw ConfigurationError("\(name) \(text): use a count per period such as 600/min or 20/s")
    }
    return rule
}

/// A setting the server cannot start with.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
