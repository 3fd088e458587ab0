import Crypto
import Foundation
import Testing
@testable import UnpodCore

/// Access tokens in LiveKit's layout (issue 7, item 1): what the builder writes, and that the fast
/// verifier and JWTKit agree on every token, good or bad.
@Suite struct AccessTokenTests {
    static let keyID = "AbCdEfGhIjKlMnOp"
    static let secret = APIKeyToken(keyID: keyID, secret: String(repeating: "s", count: 43)).text
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func builder(identity: String = "alice", room: String = "support") -> AccessTokenBuilder {
        AccessTokenBuilder(keyID: keyID, secret: secret, identity: identity, video: VideoGrant(roomJoin: true, room: room))
    }

    static func decoded(_ segment: some StringProtocol) -> Data? {
        Array(segment.utf8).withUnsafeBufferPointer { Base64URL.decode($0).map { Data($0) } }
    }

    static func payload(of token: String) throws -> [String: Any] {
        let part = token.split(separator: ".")[1]
        let json = try #require(Self.decoded(part))
        return try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    @Test func theBuilderWritesLiveKitsClaims() async throws {
        var builder = Self.builder()
        builder.name = "Alice"
        builder.metadata = #"{"tier":"gold"}"#
        builder.attributes = ["team": "blue"]
        let token = try await builder.build(now: Self.now)
        let claims = try Self.payload(of: token)
        #expect(claims["iss"] as? String == Self.keyID && claims["sub"] as? String == "alice")
        #expect(claims["nbf"] as? Int == 1_800_000_000 && claims["iat"] as? Int == 1_800_000_000)
        #expect(claims["exp"] as? Int == 1_800_000_000 + 6 * 3600, "the default lifetime is six hours")
        let video = try #require(claims["video"] as? [String: Any])
        #expect(video["roomJoin"] as? Bool == true && video["room"] as? String == "support")
        #expect(claims["name"] as? String == "Alice" && (claims["attributes"] as? [String: String]) == ["team": "blue"])
        #expect(claims["unpod_org"] == nil)
        let header = try #require(
            try JSONSerialization.jsonObject(with: Self.decoded(token.split(separator: ".")[0])!) as? [String: String])
        #expect(header["alg"] == "HS256" && header["typ"] == "JWT")

        let verified = try AccessTokenVerifier(keyID: Self.keyID, secret: Self.secret).verify(token, now: Self.now)
        #expect(verified == builder.claims(now: Self.now))
        #expect(try await AccessTokenKey(keyID: Self.keyID, secret: Self.secret).verify(token, now: Self.now) == verified)
    }

    @Test func expiryCountsForTheFirstConnectionOnlyWithOneMinuteLeeway() async throws {
        var builder = Self.builder()
        builder.ttl = 600
        let token = try await builder.build(now: Self.now)
        let verifier = AccessTokenVerifier(keyID: Self.keyID, secret: Self.secret)
        let expiry = Self.now.addingTimeInterval(600)
        #expect(throws: Never.self) { try verifier.verify(token, now: expiry.addingTimeInterval(60)) }
        #expect(throws: AccessTokenError.expired) { try verifier.verify(token, now: expiry.addingTimeInterval(61)) }
        #expect(throws: Never.self) { try verifier.verify(token, now: expiry.addingTimeInterval(86_400), allowExpired: true) }
        #expect(throws: Never.self) { try verifier.verify(token, now: Self.now.addingTimeInterval(-60)) }
        #expect(throws: AccessTokenError.notYetValid) { try verifier.verify(token, now: Self.now.addingTimeInterval(-61)) }
        #expect(throws: AccessTokenError.wrongIssuer) {
            try AccessTokenVerifier(keyID: "OtherKeyOtherKey", secret: Self.secret).verify(token, now: Self.now)
        }
        #expect(throws: AccessTokenError.invalidSignature) {
            try AccessTokenVerifier(keyID: Self.keyID, secret: Self.secret + "x").verify(token, now: Self.now)
        }
        await #expect(throws: AccessTokenError.shortSecret) {
            try await AccessTokenBuilder(keyID: Self.keyID, secret: String(repeating: "s", count: 31), identity: "a").build()
        }
    }

    @Test func unsignedOtherAlgorithmsAndTokensWithoutExpiryAreRefused() async throws {
        let key = try await AccessTokenKey(keyID: Self.keyID, secret: Self.secret)
        let verifier = AccessTokenVerifier(keyID: Self.keyID, secret: Self.secret)
        var claims = Self.builder().claims(now: Self.now)
        claims.exp = nil
        let noExpiry = try await key.sign(claims)
        #expect(throws: AccessTokenError.noExpiry) { try verifier.verify(noExpiry, now: Self.now) }
        await #expect(throws: AccessTokenError.noExpiry) { try await key.verify(noExpiry, now: Self.now) }

        let good = try await Self.builder().build(now: Self.now)
        let parts = good.split(separator: ".").map(String.init)
        func segment(_ json: String) -> String {
            Data(json.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"HS512","typ":"JWT"}"#, #"{"typ":"JWT"}"#, "[]"] {
            let forged = [segment(header), parts[1], parts[2]].joined(separator: ".")
            #expect(throws: AccessTokenError.malformed) { try verifier.verify(forged, now: Self.now) }
            await #expect(throws: AccessTokenError.malformed) { try await key.verify(forged, now: Self.now) }
        }
        #expect(throws: AccessTokenError.malformed) { try verifier.verify(parts[0] + "." + parts[1], now: Self.now) }
        #expect(throws: AccessTokenError.invalidSignature) {
            try verifier.verify([parts[0], parts[1], ""].joined(separator: "."), now: Self.now)
        }
        // The same header in the other key order is read in full, and accepted.
        let reordered = segment(#"{"typ":"JWT", "alg":"HS256"}"#)
        let resigned = try Self.sign(reordered + "." + parts[1])
        #expect(try verifier.verify(resigned, now: Self.now).sub == "alice")
    }

    /// Signs `header.payload` by hand with the key's secret (HS256).
    static func sign(_ input: String) throws -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return input + "." + Data(code).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test func theReaderTakesAnyValidJSONAndOnlyThat() throws {
        func read(_ json: String) -> AccessTokenClaims? {
            Array(json.utf8).withUnsafeBufferPointer { try? ClaimsReader.claims($0) }
        }
        let claims = try #require(
            read(
                #"""
                { "iss": "k", "sub": "\u00e9l\u00e8ve \ud83d\ude00\n", "exp": 1.9e9, "nbf": 1799999999.5,
                  "roomConfig": {"agents": [{"agentName": "a", "x": [1, 2.5e-3, null, true, {"deep": []}]}]},
                  "video": {"roomJoin": true, "room": "r", "canPublishSources": ["camera"], "newGrant": {"a": 1}},
                  "sub": "last wins", "attributes": {} }
                """#))
        #expect(claims.sub == "last wins" && claims.exp == 1_900_000_000 && claims.nbf == 1_799_999_999)
        #expect(claims.video?.canPublishSources == ["camera"] && claims.attributes == [:])
        #expect(read(#"{"sub": "\u00e9l\u00e8ve \ud83d\ude00\n"}"#)?.sub == "élève 😀\n")
        #expect(read(#"{"s\u0075b": "escaped name", "vid\u0065o": {"room\u004Aoin": true}}"#)?.sub == "escaped name", "names match after unescaping")
        #expect(read(#"{"vid\u0065o": {"room\u004Aoin": true}}"#)?.video?.roomJoin == true)
        #expect(read(#"{"attributes": {"caf\u00e9": "1", "plain": "2"}}"#)?.attributes == ["café": "1", "plain": "2"])
        for bad in [
            "", "{", #"{"iss": "k",}"#, #"{"iss": 1}"#, #"{"exp": "1"}"#, #"{"video": {"roomJoin": 1}}"#, "[]",
            #"{"sub": "\ud83d"}"#, "{\"sub\": \"raw\ttab\"}", #"{"iss": "k"} x"#, #"{"exp": 01}"#, #"{"exp": 1e999}"#,
            String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40),
        ] {
            #expect(read(bad) == nil, "accepted \(bad)")
        }
        #expect(Array([0x7B, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D] as [UInt8]).withUnsafeBufferPointer {
            (try? ClaimsReader.claims($0)) == nil
        }, "invalid UTF-8 is refused")
    }

    @Test func base64URLIsStrict() {
        func decode(_ text: String) -> [UInt8]? { Array(text.utf8).withUnsafeBufferPointer { Base64URL.decode($0) } }
        #expect(decode("") == [] && decode("YQ") == Array("a".utf8) && decode("YWI") == Array("ab".utf8))
        #expect(decode("YWJj") == Array("abc".utf8) && decode("_-8") == [0xFF, 0xEF])
        for bad in ["Y", "YQ=", "YR", "YWJ", "Y+E", "Y/E", "Y E"] {
            #expect(decode(bad) == nil, "accepted \(bad)")
        }
    }

    /// Whatever the bytes, the fast verifier and JWTKit agree: the same claims, or both refuse.
    @Test func theFastVerifierAgreesWithJWTKitOnMangledTokens() async throws {
        let key = try await AccessTokenKey(keyID: Self.keyID, secret: Self.secret)
        let verifier = AccessTokenVerifier(keyID: Self.keyID, secret: Self.secret)
        let good = try await Self.builder().build(now: Self.now)
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ".utf8)
        var accepted = 0
        for round in 0..<2000 {
            var bytes = Array(good.utf8)
            for _ in 0..<(round % 3 + 1) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[position] = alphabet.randomElement(using: &generator)!
            }
            let token = String(decoding: bytes, as: UTF8.self)
            let fast = try? verifier.verify(token, now: Self.now)
            let reference = try? await key.verify(token, now: Self.now)
            if fast == nil, reference != nil, !Self.isCanonicalBase64URL(token) {
                // By design: a segment whose last character carries stray bits is not a token any
                // signer writes (RFC 7515 wants the canonical form); JWTKit ignores those bits.
                continue
            }
            #expect(fast == reference, "disagree on \(token)")
            if fast != nil { accepted += 1 }
        }
        // Only changes the decoders cannot see (the last character's spare bits) may survive.
        #expect(accepted < 100)
    }

    /// Whether every segment is base64url as an encoder writes it (no stray bits in the last character).
    static func isCanonicalBase64URL(_ token: String) -> Bool {
        token.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { segment in
            var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while text.count % 4 != 0 { text += "=" }
            guard let data = Data(base64Encoded: text) else { return false }
            let again = data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            return again == segment
        }
    }
}
