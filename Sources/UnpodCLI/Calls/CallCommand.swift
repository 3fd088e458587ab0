import ArgumentParser
import Foundation
import UnpodClient
import UnpodCore

/// `unpod call --agent HANDLE [--say TEXT]... [--json]` (issue 17, item 7): a conversation with an
/// agent from the terminal, through a runner of the agent. Interactive (each line typed is a turn;
/// end of input hangs up), or with `--say` the given turns in order, each after the previous reply
/// has ended, then a hangup. Prints the call id and the transcript (`--json`: the call object).
struct CallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "call", abstract: "Talk to an agent: a web call from the terminal (key from UNPOD_API_KEY).")

    @Option(help: "The agent's handle.") var agent: String
    @Option(name: .customLong("say"), help: "A user turn; repeatable. Without --say, lines are read from standard input.")
    var turns: [String] = []
    @Flag(help: "Print the call object as JSON when the call has ended.") var json = false
    @Option(help: "Seconds to wait for each reply.") var replyTimeout = 30
    @OptionGroup var api: APIConnectionOptions

    func run() async throws {
        let client = try api.client()
        let session = try await client.startWebCall(agent: agent)
        let caller = CallerConnection(mediaURL: session.mediaUrl, token: session.token)
        if !json { Terminal.line("call \(session.callId)") }
        let conversation = Conversation(caller: caller, echo: !json)
        let listening = Task { await conversation.listen() }
        if turns.isEmpty {
            while let line = readLine() {
                guard !line.isEmpty else { continue }
                try await caller.say(line)
            }
        } else {
            // The agent's runner has the call, and its greeting (if it has one) comes first.
            await conversation.waitUntilQuiet(after: .milliseconds(500), timeout: .seconds(replyTimeout))
            for turn in turns {
                let replies = await conversation.repliesEnded
                try await caller.say(turn)
                guard await conversation.waitForReply(after: replies, timeout: .seconds(replyTimeout)) else {
                    throw CommandError("no reply to \"\(turn)\" within \(replyTimeout) s")
                }
            }
            // The agent often ends the call right after its last reply: it is given half a quiet
            // second to do so before the hangup (which would otherwise race its end).
            await conversation.waitUntilQuiet(after: .milliseconds(500), timeout: .seconds(2))
        }
        if await !conversation.ended { try? await caller.hangUp() }
        await listening.value
        let call = try await client.liveCall(session.callId)
        if json {
            let encoder = JSONEncoder.unpod()
            Terminal.line(String(decoding: try encoder.encode(call), as: UTF8.self))
        } else {
            Terminal.line("ended: \(call.status.rawValue) (\(call.endReason.value ?? "-"))")
            for turn in call.transcript.value ?? [] { Terminal.line("\(turn.role.rawValue): \(turn.content)") }
        }
    }
}
