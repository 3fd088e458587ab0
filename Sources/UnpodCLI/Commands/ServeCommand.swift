import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import UnpodCore
import UnpodPersistence
import UnpodServer

/// `unpod serve`: migrates, creates the first admin on an empty database, and serves the API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the API server.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8000
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"
    @Option(help: "Requests per API key, e.g. 600/min or 20/s (default: $UNPOD_RATE_LIMIT, else no limit).")
    var rateLimit: String?
    @Option(help: "Log lines as text or json, one object per line (default: $UNPOD_LOG_FORMAT, else text).")
    var logFormat: String?
    @Option(help: "Failed authentications per client address before 429, e.g. 100/min; 'off' to disable.")
    var failedAuthLimit = "100/min"
    @Option(name: .customLong("trusted-proxy"), help: "A proxy (IP or CIDR) whose X-Forwarded-For names the client; repeatable.")
    var trustedProxies: [String] = []
    @Option(help: "Largest request body in bytes (more is 413).") var maxBodySize = ServerConfiguration.defaultMaxBodySize
    @Option(help: "Seconds a client has to send a whole request; slower or idle connections are closed.")
    var requestTimeout = 30
    @Option(help: "Open connections beyond this are answered 503 and closed.") var maxConnections = 4096
    @Option(help: "The URL clients reach this server at, e.g. https://unpod.example.com (default: $UNPOD_PUBLIC_URL, else the request's host).")
    var publicURL: String?
    @Option(help: "The longest lifetime POST /tokens/ grants an access token, e.g. 24h.") var maxTokenTTL = "24h"
    @Option(help: "Participants in one room (/rtc), hidden ones included.") var roomParticipantCap = 1000
    @Option(help: "Seconds a dropped participant's session waits for its reconnect.") var reconnectWindow = 60
    @Option(help: "Seconds between the refreshed access tokens a participant receives.") var tokenRefreshInterval = 300
    @Option(help: "Failed dashboard sign-ins per account (the email typed) before 429, e.g. 10/h.")
    var signInLimitAccount = "10/h"
    @Option(help: "Failed dashboard sign-ins per client address before 429, e.g. 50/h.")
    var signInLimitAddress = "50/h"
    @Option(help: "Seconds an agent worker holds a task without a heartbeat before it goes back to the queue.")
    var workerLease = 30
    @Option(help: "Attempts a task gets (the first and its retries) before it fails for good.") var taskAttempts = 3
    @Option(help: "Seconds a call waits for a runner of its agent (or a free place under its max_concurrent) before it ends notConnected.")
    var callQueueTimeout = 30
    @Option(help: "An OpenAI-compatible API (e.g. http://127.0.0.1:11434/v1) that answers for agents with a prompt brain; its key from $UNPOD_LLM_API_KEY.")
    var llmURL: String?
    @Option(help: "The model prompt brains use unless their cfg names one.") var llmModel = "gpt-4o-mini"
    @Flag(help: "Let webhooks and custom tools reach private, loopback and link-local addresses (off: a tenant cannot aim the server at its own network).")
    var webhooksAllowPrivate = false

    func validate() throws {
        guard ["text", "json"].contains(resolvedLogFormat) else { throw ValidationError("--log-format is text or json") }
        guard maxBodySize > 0, requestTimeout > 0, maxConnections > 0 else {
            throw ValidationError("--max-body-size, --request-timeout and --max-connections must be positive")
        }
        guard DurationText.seconds(maxTokenTTL) != nil else { throw ValidationError("--max-token-ttl takes a duration such as 24h") }
        guard workerLease >= 3, (1...100).contains(taskAttempts) else {
            throw ValidationError("--worker-lease is at least 3 seconds; --task-attempts is 1 to 100")
        }
        if let llmURL {
            guard let url = URL(string: llmURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--llm-url is an http or https URL such as http://127.0.0.1:11434/v1")
            }
        }
        guard (1...3600).contains(callQueueTimeout) else { throw ValidationError("--call-queue-timeout is 1 to 3600 seconds") }
        guard roomParticipantCap > 0, reconnectWindow > 0, tokenRefreshInterval > 0 else {
            throw ValidationError("--room-participant-cap, --reconnect-window and --token-refresh-interval must be positive")
        }
    }

    private var resolvedLogFormat: String {
        logFormat ?? ProcessInfo.processInfo.environment["UNPOD_LOG_FORMAT"] ?? "text"
    }

    func run() async throws {
        if resolvedLogFormat == "json" {
            LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        }
        let location = try database.location()
        let store = try await SQLStore.open(location)
        do {
            if let first = try await Bootstrap.firstStartIfEmpty(store: store) {
                // Written unbuffered: standard output may be a file or a pipe, and this must show
                // before the server's own lines.
                FileHandle.standardOutput.write(Data(FirstStartMessage.text(first, location: location, host: host, port: port).utf8))
            }
            var configuration = ServerConfiguration(
                host: host, port: port, logLevel: Logger.Level(rawValue: logLevel) ?? .info,
                rateLimit: rateLimit ?? ProcessInfo.processInfo.environment["UNPOD_RATE_LIMIT"],
                failedAuthLimit: failedAuthLimit == "off" ? nil : failedAuthLimit, trustedProxies: trustedProxies,
                limits: ConnectionLimits(requestTimeout: .seconds(requestTimeout), maxConnections: maxConnections),
                maxBodySize: maxBodySize,
                metricsToken: ProcessInfo.processInfo.environment["UNPOD_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
                publicURL: publicURL ?? ProcessInfo.processInfo.environment["UNPOD_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 },
                maxAccessTokenTTL: DurationText.seconds(maxTokenTTL) ?? 86_400,
                realtime: RealtimeConfiguration(
                    participantCap: roomParticipantCap, reconnectWindow: .seconds(reconnectWindow),
                    refreshInterval: .seconds(tokenRefreshInterval)))
            configuration.signInAccountLimit = signInLimitAccount
            configuration.signInAddressLimit = signInLimitAddress
            configuration.workers = WorkerConfiguration(
                leaseDuration: TimeInterval(workerLease), retry: RetryPolicy(maxAttempts: taskAttempts))
            configuration.calls.queueTimeout = .seconds(callQueueTimeout)
            configuration.calls.languageModel = LanguageModelConfiguration(
                url: llmURL, model: llmModel,
                apiKey: ProcessInfo.processInfo.environment["UNPOD_LLM_API_KEY"].flatMap { $0.isEmpty ? nil : $0 })
            configuration.allowPrivateDestinations = webhooksAllowPrivate
            // The variables custom tools may read as {{ env.NAME }}: only those the operator names.
            configuration.toolEnvironment = Set(
                (ProcessInfo.processInfo.environment["UNPOD_TOOL_ENV"] ?? "").split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces)
                }.filter { !$0.isEmpty })
            let app = try await buildApplication(configuration: configuration, store: store)
            // A bounded shutdown: SIGTERM waits for requests and sockets to finish, but a peer that
            // never answers a close (a hung client) must not keep the server up forever.
            var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
            group.maximumGracefulShutdownDuration = .seconds(10)
            group.maximumCancellationDuration = .seconds(5)
            try await ServiceGroup(configuration: group).run()
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

/// The one-time message of a first start: how to log in and make a first authenticated call.
enum FirstStartMessage {
    static func text(_ first: FirstStart, location: DatabaseLocation, host: String, port: Int) -> String {
        let databaseFlag = location == .defaultValue ? "" : " --database '\(location)'"
        return """

            First start: created the admin user and organization. This is shown once.
              email:        \(first.email)
              password:     \(first.password)
              Org-Handle:   \(first.organization.domainHandle)

            Sign in to the dashboard with them at http://\(host):\(port)/dashboard/ and generate an API key
            there (the key icon, Api Keys), or, in another terminal (the token is the last line):
              TOKEN=$(swift run unpod keys create --email \(first.email) --name first-key\(databaseFlag) | tail -n 1)
              curl -H "Authorization: Token $TOKEN" http://\(host):\(port)/api/v2/platform/organizations/

            """
    }
}
