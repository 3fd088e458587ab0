import Foundation
import UnpodClient
import UnpodCore

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
            case .message(.agent(.say(let text))): if echo { Terminal.line("agent: \(text)") }
            case .message(.agent(.textDelta(let text))): if echo { Terminal.write(text) }
            case .message(.agent(.textEnd)):
                repliesEnded += 1
                if echo { Terminal.write("\n") }
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
