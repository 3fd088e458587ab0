import ArgumentParser
import Foundation
import Hummingbird
import Logging
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

    func run() async throws {
        let location = try database.location()
        let store = try await SQLStore.open(location)
        do {
            if let first = try await Bootstrap.firstStartIfEmpty(store: store) {
                // Written unbuffered: standard output may be a file or a pipe, and this must show
                // before the server's own lines.
                FileHandle.standardOutput.write(Data(FirstStartMessage.text(first, location: location, host: host, port: port).utf8))
            }
            let configuration = ServerConfiguration(
                host: host, port: port, logLevel: Logger.Level(rawValue: logLevel) ?? .info,
                rateLimit: rateLimit ?? ProcessInfo.processInfo.environment["UNPOD_RATE_LIMIT"])
            let app = try await buildApplication(configuration: configuration, store: store)
            try await app.runService()
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

            Next, in another terminal, create an API key (the token is the last line):
              TOKEN=$(swift run unpod keys create --email \(first.email) --name first-key\(databaseFlag) | tail -n 1)
              curl -H "Authorization: Token $TOKEN" http://\(host):\(port)/api/v2/platform/organizations/

            """
    }
}
