import Foundation
import Logging
import Synchronization
import UnpodCore

/// One JSON object per line on standard error, for log shippers (`--log-format json`):
/// `{"time","level","label","message", …metadata}`; metadata values are strings.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = value.description }
        if let provided = metadataProvider?.get() { for (key, value) in provided { fields[key] = value.description } }
        if let explicit = event.metadata { for (key, value) in explicit { fields[key] = value.description } }
        fields["time"] = Timestamp.format(Date())
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        guard var data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        data.append(UInt8(ascii: "\n"))
        Self.lock.withLock { _ in FileHandle.standardError.write(data) }
    }

    /// One writer at a time, so lines from different threads never interleave.
    private static let lock = Mutex(())
}
