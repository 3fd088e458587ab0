import ArgumentParser
import Foundation
import UnpodClient
import UnpodCore

/// `unpod calls list|get`: the organization's live calls over the API (key from UNPOD_API_KEY).
struct CallsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calls", abstract: "List and read an organization's calls (key from UNPOD_API_KEY).",
        subcommands: [List.self, Get.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The organization's calls, newest first.")
        @Option(help: "Only calls in this status (pending, active, connected, notConnected, failed, …).") var status: String?
        @Option(help: "How many.") var limit = 20
        @OptionGroup var api: APIConnectionOptions

        func run() async throws {
            var wanted: CallStatus?
            if let status {
                guard let parsed = CallStatus(rawValue: status) else { throw ValidationError("--status: no call status \(status)") }
                wanted = parsed
            }
            let page = try await api.client().liveCalls(status: wanted, pageSize: min(max(limit, 1), 100))
            print("call                       agent               status        turns  created")
            for call in page.data {
                print(
                    [call.callId.padding(toLength: 26, withPad: " ", startingAt: 0),
                     call.agentId.padding(toLength: 19, withPad: " ", startingAt: 0),
                     call.status.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0),
                     String(call.transcriptTurns).padding(toLength: 6, withPad: " ", startingAt: 0), Timestamp.format(call.created)]
                        .joined(separator: " "))
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A call with its transcript, as JSON.")
        @Argument(help: "The call's id.") var callID: String
        @OptionGroup var api: APIConnectionOptions

        func run() async throws {
            let call = try await api.client().liveCall(callID)
            print(String(decoding: try JSONEncoder.unpod().encode(call), as: UTF8.self))
        }
    }
}
