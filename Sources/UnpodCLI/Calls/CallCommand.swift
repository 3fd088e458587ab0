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
        if !json { say("call \(session.callId)") }
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
        }
        if await !conversation.ended { try? await caller.hangUp() }
        await listening.value
        let call = try await client.liveCall(session.callId)
        if json {
            let encoder = JSONEncoder.unpod()
            say(String(decoding: try encoder.encode(call), as: UTF8.self))
        } else {
            say("ended: \(call.status.rawValue) (\(call.endReason.value ?? "-"))")
            for turn in call.transcript.value ?? [] { say("\(turn.role.rawValue): \(turn.content)") }
        }
    }
}

/// The caller side's view of a conversation: the agent's output as it comes, how many replies
/// have ended, and whether the call has.
actor Conversation {
    let caller: CallerConnection
    let echo: Bool
    private(set) var repliesEnded = 0
    private(set) var ended = false
    private var active = false
    private var lastHeard = ContinuousClock.now

    init(caller: CallerConnection, echo: Bool) {
        self.caller = caller
        self.echo = echo
    }

    func listen() async {
        for await event in caller.events {
            lastHeard = .now
            switch event {
            case .message(.agent(.say(let text))): if echo { say("agent: \(text)") }
            case .message(.agent(.textDelta(let text))): if echo { write(text) }
            case .message(.agent(.textEnd)):
                repliesEnded += 1
                if echo { write("\n") }
            case .message(.callEnded), .closed:
                ended = true
            case .message(.callStatus(let status)):
                if status == CallStatus.active.rawValue { active = true }
            case .message(.agent(.endCall)), .message(.agent(.transfer)):
                break
            }
        }
        ended = true
    }

    func waitForReply(after count: Int, timeout: Duration) async -> Bool {
        let start = ContinuousClock.now
        while repliesEnded <= count, !ended, ContinuousClock.now - start < timeout {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return repliesEnded > count || ended
    }

    /// Waits until the call is active and nothing has been heard since for `quiet` (or `timeout` passes).
    func waitUntilQuiet(after quiet: Duration, timeout: Duration) async {
        let start = ContinuousClock.now
        while !active || ContinuousClock.now - lastHeard < quiet, !ended, ContinuousClock.now - start < timeout {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

private func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

private func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
