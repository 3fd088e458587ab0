import Foundation
import Testing
@testable import UnpodCore

@Suite struct APIKeyTokenTests {
    @Test func generatedTokensMatchThePublishedPatternAndParseBack() throws {
        let regex = try Regex(APIKeyToken.pattern)
        var seen = Set<String>()
        for _ in 0..<200 {
            let token = APIKeyToken.generate()
            #expect(token.text.count == APIKeyToken.length)
            #expect(token.text.wholeMatch(of: regex) != nil)
            #expect(token.text.hasPrefix("unpod_"))
            let parsed = try #require(APIKeyToken.parse(token.text))
            #expect(parsed == token)
            seen.insert(token.secret)
        }
        #expect(seen.count == 200)
    }

    @Test func theSecretCarriesAtLeast192Bits() {
        let bits = Double(APIKeyToken.secretLength) * log2(62.0)
        #expect(bits >= 192)
    }

    @Test func everyCharacterIsURLSafe() {
        let token = APIKeyToken.generate().text
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_"))
        #expect(token.unicodeScalars.allSatisfy { allowed.contains($0) && $0.isASCII })
        #expect(token.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) == token)
    }

    @Test func anyChangedCharacterFailsTheChecksum() {
        let token = APIKeyToken.generate().text
        var failures = 0
        for index in token.indices where index >= token.index(token.startIndex, offsetBy: 6) {
            let original = token[index]
            guard original != "_" else { continue }
            let replacement: Character = original == "a" ? "b" : "a"
            var changed = token
            changed.replaceSubrange(index...index, with: String(replacement))
            if APIKeyToken.parse(changed) == nil { failures += 1 }
        }
        // Every single-character change is caught by CRC-32.
        #expect(failures == token.count - 7)
    }

    @Test(arguments: [
        "", "unpod_", "token", "unpod_short_abc",
        "UNPOD_" + String(repeating: "a", count: 66),
        String(repeating: "x", count: 72),
    ])
    func malformedTokensAreRefused(_ text: String) {
        #expect(APIKeyToken.parse(text) == nil)
    }

    @Test func aTokenWithAnotherPrefixOrSeparatorIsRefusedEvenWithAMatchingLength() {
        let token = APIKeyToken.generate().text
        #expect(APIKeyToken.parse("xnpod_" + token.dropFirst(6)) == nil)
        var noSeparator = token
        noSeparator.replaceSubrange(
            noSeparator.index(noSeparator.startIndex, offsetBy: 22)...noSeparator.index(noSeparator.startIndex, offsetBy: 22),
            with: "A")
        #expect(APIKeyToken.parse(noSeparator) == nil)
    }

    @Test func keyIDsAreRecognised() {
        #expect(APIKeyToken.isWellFormedKeyID(APIKeyToken.generate().keyID))
        #expect(!APIKeyToken.isWellFormedKeyID("short"))
        #expect(!APIKeyToken.isWellFormedKeyID("abc-defghijklmnop"))
    }

    /// The checksum is zlib's CRC-32 (so other tools can check a token): its standard check value,
    /// and the same result from the in-place loop the request path uses and the generic one.
    @Test func theChecksumIsZlibsCRC32() {
        #expect(CRC32.checksum("123456789".utf8) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        let token = Array(APIKeyToken.generate().text.utf8)
        #expect(token.withUnsafeBufferPointer { CRC32.checksum(buffer: $0) } == CRC32.checksum(token.lazy.map { $0 }))
    }

    /// The shape check's bit table accepts exactly the 62 characters of the alphabet.
    @Test func base62DigitsAreExactlyTheAlphabet() {
        for byte in UInt8.min...UInt8.max {
            #expect(Base62.isDigit(byte) == Base62.alphabet.contains(byte), "byte \(byte)")
            // A token body with this byte in the middle passes the bulk check only if it is a digit.
            let body = Array("abc".utf8) + [byte] + Array("XYZ09".utf8)
            #expect(body.withUnsafeBufferPointer(Base62.allDigits) == Base62.alphabet.contains(byte), "byte \(byte)")
        }
    }
}
