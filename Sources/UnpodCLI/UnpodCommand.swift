import ArgumentParser

/// `unpod`: runs the server and administers it from the command line (decisions.md section 5).
public struct UnpodCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "unpod",
        abstract: "Unpod Platform for Swift: the platform API server and its administration.",
        subcommands: [
            ServeCommand.self, UsersCommand.self, OrgsCommand.self, KeysCommand.self, TokenCommand.self, NumbersCommand.self,
            AuditCommand.self, DemoCommand.self, SpacesCommand.self, AgentsCommand.self, WorkerCommand.self, BillingCommand.self, CallCommand.self,
            CallsCommand.self, WebhooksCommand.self,
        ])

    public init() {}
}
