import ArgumentParser
import Foundation
import UnpodCore

/// `unpod token`: access tokens made and checked offline, from an API key's id and token (the
/// LiveKit API key and secret), without a server or a database (issue 7, item 3).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Make or check an access token offline (LiveKit's layout).",
        subcommands: [Mint.self, Verify.self], defaultSubcommand: Mint.self)

    /// Where the secret comes from: `--secret`, else `UNPOD_API_SECRET`, else the first line of standard input.
    struct SecretOptions: ParsableArguments {
        @Option(help: "The API key's public id (the LiveKit API key).") var keyId: String
        @Option(help: "The API key's token (the LiveKit API secret). Else UNPOD_API_SECRET, else standard input.")
        var secret: String?

        func resolve(environment: [String: String] = ProcessInfo.processInfo.environment, readLine: () -> String? = { Swift.readLine() })
            throws -> String
        {
            if let secret, !secret.isEmpty { return secret }
            if let secret = environment["UNPOD_API_SECRET"], !secret.isEmpty { return secret }
            guard let line = readLine()?.trimmingCharacters(in: .whitespacesAndNewlines), !line.isEmpty else {
                throw CommandError("give the secret with --secret, UNPOD_API_SECRET or on standard input")
            }
            return line
        }

        func validate() throws {
            if let secret, secret.utf8.count < AccessTokenKey.minimumSecretBytes {
                throw ValidationError("--secret must be at least \(AccessTokenKey.minimumSecretBytes) bytes (an API key's token is 72)")
            }
        }
    }

    /// `unpod token --key-id ID --room R --identity I [--ttl 6h] [--grant NAME[=false]]...`
    struct Mint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mint", abstract: "Print a signed access token that joins a room (the default command).")

        @OptionGroup var key: SecretOptions
        @Option(help: "The room to join.") var room: String
        @Option(help: "The participant's identity.") var identity: String
        @Option(help: "The participant's display name.") var name: String?
        @Option(help: "The participant's metadata (any text, often JSON).") var metadata: String?
        @Option(help: "Lifetime such as 6h, 10m or 3600 (seconds).") var ttl = "6h"
        @Option(
            help: ArgumentHelp(
                "A grant, repeatable: NAME or NAME=false. roomJoin is on unless turned off.",
                discussion: "Names: \(VideoGrant.flagNames.joined(separator: ", "))."))
        var grant: [String] = []
        @Option(help: "The organization (Org-Handle) whose room this is, when the key is not restricted to one.")
        var org: String?

        func validate() throws {
            guard DurationText.seconds(ttl) != nil else { throw ValidationError("--ttl takes a duration such as 6h, 10m or 3600") }
            guard !room.isEmpty, !identity.isEmpty else { throw ValidationError("--room and --identity must not be empty") }
            _ = try video()
        }

        func video() throws -> VideoGrant {
            var video = VideoGrant(roomJoin: true, room: room)
            for text in grant {
                let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let value: Bool? = parts.count == 1 ? true : ["true": true, "false": false][parts[1]]
                guard let value, video.set(parts[0], to: value) else {
                    throw ValidationError("--grant \(text): use NAME or NAME=false with NAME one of \(VideoGrant.flagNames.joined(separator: ", "))")
                }
            }
            return video
        }

        func run() async throws {
            try await execute(secret: try key.resolve(), now: Date(), output: StandardOutput())
        }

        func execute(secret: String, now: Date, output: some Output) async throws {
            guard secret.utf8.count >= AccessTokenKey.minimumSecretBytes else {
                throw CommandError("the secret must be at least \(AccessTokenKey.minimumSecretBytes) bytes (an API key's token is 72)")
            }
            var builder = AccessTokenBuilder(keyID: key.keyId, secret: secret, identity: identity, video: try video())
            builder.name = name
            builder.metadata = metadata
            builder.organization = org?.lowercased()
            builder.ttl = DurationText.seconds(ttl) ?? AccessTokenKey.defaultTTL
            output.line(try await builder.build(now: now))
        }
    }

    /// `unpod token verify --key-id ID TOKEN`: the claims as JSON, or why the token is refused.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check an access token and print its claims as JSON.")

        @OptionGroup var key: SecretOptions
        @Flag(help: "Accept an expired token (as a reconnect does).") var allowExpired = false
        @Argument(help: "The access token.") var token: String

        func run() async throws {
            try execute(secret: try key.resolve(), now: Date(), output: StandardOutput())
        }

        func execute(secret: String, now: Date, output: some Output) throws {
            do {
                let claims = try AccessTokenVerifier(keyID: key.keyId, secret: secret).verify(token, now: now, allowExpired: allowExpired)
                output.line(String(decoding: try JSONEncoder.unpod().encode(claims), as: UTF8.self))
            } catch let error as AccessTokenError {
                throw CommandError("the token is refused: \(error)")
            }
        }
    }
}
