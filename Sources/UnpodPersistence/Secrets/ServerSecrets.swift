import Foundation
import UnpodCore

#if canImport(Glibc)
import Glibc
#endif

/// The master key and the pepper (decisions.md section 1).
///
/// From `UNPOD_MASTER_KEY` and `UNPOD_PEPPER` (32 bytes each, base64 or hex) when set. Otherwise, on
/// the embedded SQLite default only, from a file beside the database (`<database>.secrets`),
/// generated on first start and readable by its owner alone (mode 0600). PostgreSQL deployments
/// must set both variables, so that every node shares them.
public struct ServerSecrets: Sendable, Equatable {
    public let masterKey: [UInt8]
    public let pepper: [UInt8]

    public var vault: KeyVault { KeyVault(masterKey: masterKey, pepper: pepper) }

    public init(masterKey: [UInt8], pepper: [UInt8]) {
        self.masterKey = masterKey
        self.pepper = pepper
    }

    public static func generate() -> ServerSecrets {
        var generator = SystemRandomNumberGenerator()
        func random32() -> [UInt8] { (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) } }
        return ServerSecrets(masterKey: random32(), pepper: random32())
    }

    public static func load(
        for location: DatabaseLocation, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServerSecrets {
        let master = environment["UNPOD_MASTER_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        let pepper = environment["UNPOD_PEPPER"].flatMap { $0.isEmpty ? nil : $0 }
        switch (master, pepper) {
        case (let master?, let pepper?):
            guard let masterKey = decodeKey(master), let pepperKey = decodeKey(pepper) else {
                throw DatabaseError.missingSecrets(
                    "UNPOD_MASTER_KEY and UNPOD_PEPPER must each be 32 bytes, as base64 or 64 hex digits")
            }
            return ServerSecrets(masterKey: masterKey, pepper: pepperKey)
        case (nil, nil):
            guard case .sqlite(let path) = location else {
                throw DatabaseError.missingSecrets(
                    "with PostgreSQL, set UNPOD_MASTER_KEY and UNPOD_PEPPER (the same on every node)")
            }
            return try loadOrCreateFile(at: path + ".secrets")
        default:
            throw DatabaseError.missingSecrets("set both UNPOD_MASTER_KEY and UNPOD_PEPPER, or neither")
        }
    }

    static func decodeKey(_ text: String) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 64, trimmed.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var index = trimmed.startIndex
            while index < trimmed.endIndex {
                let next = trimmed.index(index, offsetBy: 2)
                bytes.append(UInt8(trimmed[index..<next], radix: 16)!)
                index = next
            }
            return bytes
        }
        guard let data = Data(base64Encoded: trimmed), data.count == 32 else { return nil }
        return Array(data)
    }

    private struct FileContents: Codable {
        var masterKey: String
        var pepper: String

        enum CodingKeys: String, CodingKey {
            case masterKey = "master_key"
            case pepper
        }
    }

    static func loadOrCreateFile(at path: String) throws -> ServerSecrets {
        if let data = FileManager.default.contents(atPath: path) {
            guard let contents = try? JSONDecoder.unpod().decode(FileContents.self, from: data),
                let master = decodeKey(contents.masterKey), let pepper = decodeKey(contents.pepper)
            else { throw DatabaseError.missingSecrets("\(path) is not a valid secrets file") }
            return ServerSecrets(masterKey: master, pepper: pepper)
        }
        let secrets = generate()
        let contents = FileContents(
            masterKey: Data(secrets.masterKey).base64EncodedString(),
            pepper: Data(secrets.pepper).base64EncodedString())
        let data = try JSONEncoder.unpod().encode(contents)
        // O_EXCL: if another process created the file a moment ago, use theirs rather than overwrite it.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return try loadOrCreateFile(at: path) }
            throw DatabaseError.missingSecrets("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(descriptor) == 0 else {
            throw DatabaseError.missingSecrets("cannot write \(path)")
        }
        return secrets
    }
}
