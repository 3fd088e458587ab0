import ArgumentParser
import Foundation
import UnpodCore
import UnpodPersistence

/// `unpod demo call-logs --org H --count N`: sample calls, for trying the API and for benchmarks,
/// until the telephony side reports real ones.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Fill an organization with sample data.", subcommands: [CallLogs.self])

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
            guard let organization = try await store.organization(handle: org.lowercased()) else {
                throw CommandError("no organization with handle \(org)")
            }
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
}
