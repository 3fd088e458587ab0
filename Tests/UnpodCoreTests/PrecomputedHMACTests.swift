import Crypto
import Foundation
import Testing
@testable import UnpodCore

/// The lookup hash's own HMAC-SHA-256 must give swift-crypto's bytes, or every stored key would
/// stop being found: checked on the RFC 4231 vectors, and on random keys and messages of every
/// length across the padding's one-block/two-block edge and several whole blocks.
@Suite struct PrecomputedHMACTests {
    private func bytes(_ state: SHA256State) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            state.write(to: buffer)
            count = 32
        }
    }

    private func ours(key: [UInt8], message: [UInt8]) -> [UInt8] {
        bytes(message.withUnsafeBytes { PrecomputedHMAC(key: key).authenticationCode($0) })
    }

    private func theirs(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    private func hex(_ text: String) -> [UInt8] {
        var result = [UInt8]()
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            result.append(UInt8(text[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    @Test func rfc4231TestVectors() {
        // Test cases 1, 2 and 4 (the others use keys longer than a block, which are not supported).
        #expect(
            ours(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
                == hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"))
        #expect(
            ours(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
                == hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
        #expect(
            ours(key: Array(1...25), message: [UInt8](repeating: 0xcd, count: 50))
                == hex("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"))
    }

    @Test func sameBytesAsSwiftCryptoForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...300 {
            let key = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let message = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(ours(key: key, message: message) == theirs(key: key, message: message), "message of \(length) bytes")
            let digest = bytes(message.withUnsafeBytes { SHA256State.digest($0) })
            #expect(digest == Array(SHA256.hash(data: message)), "digest of \(length) bytes")
        }
    }

    @Test func theVaultsLookupHashIsTheHMACOfTheTokenUnderThePepper() {
        let pepper = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let vault = KeyVault(masterKey: Array(repeating: 7, count: 32), pepper: pepper)
        let token = APIKeyToken.generate().text
        let expected = theirs(key: pepper, message: Array(token.utf8)).hexString
        #expect(vault.lookupHash(of: token).hex == expected)
    }
}
