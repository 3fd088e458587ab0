import Foundation
import Testing
@testable import UnpodCore

@Suite struct KeyVaultTests {
    let vault = KeyVault(masterKey: Array(repeating: 7, count: 32), pepper: Array(repeating: 9, count: 32))

    @Test func lookupHashIsStableAndDependsOnThePepper() {
        let token = APIKeyToken.generate().text
        #expect(vault.lookupHash(of: token) == vault.lookupHash(of: token))
        let other = KeyVault(masterKey: Array(repeating: 7, count: 32), pepper: Array(repeating: 8, count: 32))
        #expect(vault.lookupHash(of: token) != other.lookupHash(of: token))
        #expect(vault.lookupHash(of: token).hex.count == 64)
        #expect(LookupHash(hex: vault.lookupHash(of: token).hex) == vault.lookupHash(of: token))
    }

    @Test func sealedSecretsOpenOnlyWithTheMasterKey() throws {
        let secret = APIKeyToken.generate().secret
        let sealed = try vault.seal(secret)
        #expect(!sealed.contains(secret))
        #expect(try vault.open(sealed) == secret)
        #expect(try vault.seal(secret) != sealed, "a fresh nonce every time")
        let other = KeyVault(masterKey: Array(repeating: 1, count: 32), pepper: Array(repeating: 9, count: 32))
        #expect(throws: (any Error).self) { try other.open(sealed) }
    }
}
