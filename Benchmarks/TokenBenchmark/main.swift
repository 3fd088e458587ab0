import Foundation
import UnpodCore

// Access-token verifications per second on one thread, over the tokens in a file: the Swift half
// of `scripts/bench-tokens.sh`, which runs livekit-api's TokenVerifier on the same tokens.
// Usage: token-benchmark TOKENS_FILE KEY_ID SECRET SECONDS
let arguments = CommandLine.arguments
guard arguments.count == 5, let seconds = Double(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: token-benchmark TOKENS_FILE KEY_ID SECRET SECONDS\n".utf8))
    exit(2)
}
let tokens = try String(contentsOfFile: arguments[1], encoding: .utf8).split(separator: "\n").map(String.init)
let key = AccessTokenVerifier(keyID: arguments[2], secret: arguments[3])
let now = Date()
for token in tokens {  // every token must verify, or the figure means nothing
    guard try key.verify(token, now: now).video?.roomJoin == true else { fatalError("a token without roomJoin") }
}
var done = 0
let clock = ContinuousClock()
let start = clock.now
let deadline = start + .seconds(seconds)
while clock.now < deadline {
    for token in tokens { _ = try key.verify(token, now: now) }
    done += tokens.count
}
let elapsed = clock.now - start
let perSecond = Double(done) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
print("RESULT side=swift verifications_per_second=\(Int(perSecond)) tokens=\(tokens.count)")
