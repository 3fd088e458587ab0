import Foundation
import UnpodClient
import UnpodCore

/// `unpod worker --simulate --gateway`: a phone gateway with no carrier (issue 17, item 4). It
/// speaks for the person on the line, deterministically from their number: some never pick up
/// (`USER_DID_NOT_PICK_UP`); the others answer, say one to three lines, each after the agent's
/// reply has ended, and hang up, or say one line and wait a few seconds for the agent to end the call.
enum SimulatedCallee {
    static let lines = ["Hi, who is this?", "Sure, tell me more.", "Thanks, that is all for now."]

    enum Behaviour: Equatable {
        case noAnswer
        /// Says this many lines, then hangs up.
        case talks(Int)
        /// Says one line, then waits for the agent to end the call.
        case waitsForTheAgent
    }

    /// How the person at `number` behaves: a stable hash of the number (FNV-1a).
    static func behaviour(for number: String) -> Behaviour {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in number.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        switch hash % 6 {
        case 0: return .noAnswer
        case 5: return .waitsForTheAgent
        default: return .talks(Int(hash % 6 % 3) + 1)
        }
    }

    /// Carries one call to its end; answers what the person said.
    @discardableResult
    static func carry(_ call: PhoneCallAssignment, over connection: WorkerConnection, replyTimeout: Duration = .seconds(30)) async -> [String] {
        let number = (call.direction == "outbound" ? call.toNumber : call.fromNumber) ?? ""
        try? await connection.callStatus(call.callID, CallStatus.ringing.rawValue)
        let behaviour = behaviour(for: number)
        guard behaviour != .noAnswer else {
            try? await Task.sleep(for: .milliseconds(100))
            try? await connection.callStatus(call.callID, CallStatus.notConnected.rawValue, reason: "USER_DID_NOT_PICK_UP")
            return []
        }
        try? await connection.callStatus(call.callID, CallStatus.active.rawValue)
        let caller = CallerConnection(mediaURL: call.mediaURL, token: call.token)
        let conversation = Conversation(caller: caller, echo: false)
        let listening = Task { await conversation.listen() }
        // The agent speaks first (its greeting), then the person does.
        await conversation.waitUntilQuiet(after: .milliseconds(300), timeout: replyTimeout)
        var said: [String] = []
        let count: Int = switch behaviour { case .talks(let count): count; default: 1 }
        for index in 0..<count {
            guard await !conversation.ended else { break }
            try? await caller.say(lines[index])
            said.append(lines[index])
            guard await conversation.waitForReply(after: index, timeout: replyTimeout) else { break }
        }
        if behaviour == .waitsForTheAgent {
            // A few seconds for the agent to end the call (a runner's agent.end_call); then the person hangs up.
            let start = ContinuousClock.now
            while await !conversation.ended, ContinuousClock.now - start < .seconds(5) {
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        if await !conversation.ended { try? await caller.hangUp() }
        await listening.value
        return said
    }
}
