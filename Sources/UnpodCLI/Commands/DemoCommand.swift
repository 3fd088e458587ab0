import ArgumentParser
import Foundation
import UnpodCore
import UnpodPersistence

/// `unpod demo call-logs|bridges --org H`: sample data for trying the API and for benchmarks (the
/// DRF peer's seed in `../shared/bench`: 20 bridges with 2 numbers each, 10,000 call logs).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Fill an organization with sample data.", subcommands: [CallLogs.self, Bridges.self])

    struct CallLogs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "call-logs", abstract: "Add sample call logs, one a minute going back from now.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization (Org-Handle).") var org: String
        @Option(help: "How many calls.") var count = 1000

        func validate() throws {
            guard (1...1_000_000).contains(count) else { throw ValidationError("--count is 1 to 1000000") }
        }

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            var generator = SystemRandomNumberGenerator()
            let now = Date(timeIntervalSince1970: store.clock.now().timeIntervalSince1970.rounded(.down))
            let calls = (0..<count).map { index -> CallLog in
                let created = now.addingTimeInterval(Double(-60 * index))
                let duration = Int.random(in: 0...900, using: &generator)
                let status: CallLog.CallStatus = duration == 0 ? (index % 2 == 0 ? .missed : .failed) : .completed
                return CallLog(
                    id: 0, callId: "demo-\(UUID().uuidString.lowercased())",
                    sourceNumber: "+1415\(String(format: "%07d", Int.random(in: 0...9_999_999, using: &generator)))",
                    destinationNumber: "+9180\(String(format: "%08d", Int.random(in: 0...99_999_999, using: &generator)))",
                    callType: Bool.random(using: &generator) ? .inbound : .outbound, callStatus: status,
                    creationTime: created, startTime: status == .completed ? created : nil,
                    endTime: status == .completed ? created.addingTimeInterval(Double(duration)) : nil,
                    callDuration: duration, endReason: status == .completed ? "caller_hangup" : "no_answer")
            }
            try await store.insertCallLogs(orgID: organization.id, calls)
            output.line("added \(count) call logs to \(organization.domainHandle)")
        }
    }

    struct Bridges: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bridges",
            abstract: "Add sample bridges with numbers; two in three connected to a sample Twilio configuration and active.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The organization (Org-Handle).") var org: String
        @Option(help: "How many bridges.") var count = 20
        @Option(help: "Numbers on each bridge.") var numbersPerBridge = 2

        func validate() throws {
            guard (1...9999).contains(count) else { throw ValidationError("--count is 1 to 9999") }
            guard (0...9999).contains(numbersPerBridge) else { throw ValidationError("--numbers-per-bridge is 0 to 9999") }
        }

        func run() async throws {
            try await database.withStore { try await execute(store: $0, output: StandardOutput()) }
        }

        func execute(store: SQLStore, output: some Output) async throws {
            let organization = try await store.requireOrganization(org)
            guard let twilio = try await store.provider(.slug("twilio")) else { throw CommandError("the provider catalog lacks twilio") }
            let configuration = try await store.createProviderConfiguration(
                orgID: organization.id, provider: twilio, name: "Demo Twilio",
                account: "AC" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
                secret: UUID().uuidString, fields: ProviderConfigurationFields(), actor: .cli)
            // Numbers are unique across organizations: each run picks a random block of them.
            let first = Int.random(in: 0..<90) * 100_000_000
            for index in 1...count {
                let bridge = try await store.createBridge(
                    orgID: organization.id, name: "Bridge \(index)", slug: nil, description: "Sample bridge \(index)",
                    region: "IN", actor: .cli)
                let numbers = (0..<numbersPerBridge).map { "+9180" + String(format: "%010ld", first + index * 10_000 + $0 + 1) }
                if !numbers.isEmpty {
                    _ = try await store.addNumbers(numbers, orgID: organization.id, provider: twilio)
                    _ = try await store.attachNumbers(
                        numbers, orgID: organization.id, termination: .agent(nil), bridgeSlug: bridge.slug, region: nil,
                        actor: .cli)
                }
                if index % 3 != 0 {
                    _ = try await store.connectProvider(
                        bridge.slug, orgID: organization.id, configurationID: configuration.id, phoneNumber: nil, actor: .cli)
                    if !numbers.isEmpty {
                        _ = try await store.updateBridge(
                            bridge.slug, orgID: organization.id, name: nil, description: nil, status: .ACTIVE, actor: .cli)
                    }
                }
            }
            output.line("added \(count) bridges with \(count * numbersPerBridge) numbers to \(organization.domainHandle)")
        }
    }
}
