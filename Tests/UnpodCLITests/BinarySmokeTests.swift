import Foundation
import Testing
import UnpodClient
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// The README's first steps, with the real binary: first start prints the admin and the next command;
/// `keys create` prints the token last; the token works against the running server.
@Suite(.serialized) struct BinarySmokeTests {
    @Test func firstStartThenAKeyThenAnAuthenticatedCall() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("smoke-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("unpod.sqlite").path
        let database = "sqlite:" + path

        // No secrets in the environment: the embedded default makes its own secrets file.
        let server = try await ServerProcess(database: .sqlite(path: path), environment: [:])
        defer { server.stop() }
        let firstStart = server.output
        #expect(firstStart.contains("email:        admin@localhost"))
        #expect(firstStart.range(of: #"password:     [A-Za-z0-9]{20}"#, options: .regularExpression) != nil)
        #expect(firstStart.contains("unpod keys create --email admin@localhost"))
        let secrets = directory.appendingPathComponent("unpod.sqlite.secrets").path
        let mode = try FileManager.default.attributesOfItem(atPath: secrets)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let created = try UnpodBinary.run(["keys", "create", "--email", "admin@localhost", "--name", "first", "--database", database])
        #expect(created.status == 0)
        let token = try #require(created.output.split(separator: "\n").last.map(String.init))
        #expect(APIKeyToken.parse(token) != nil, "last line: \(token)")

        let organizations = try await UnpodClient(baseURL: server.baseURL, token: token).organizations()
        #expect(organizations.map(\.domainHandle) == ["default"])

        let revoke = try UnpodBinary.run(["keys", "revoke", "NoSuchKeyId00000", "--database", database])
        #expect(revoke.status != 0, "errors exit non-zero")
        #expect(!server.output.contains(token), "the server never logs a token")
    }
}
