import Foundation

/// An organization's own layer of one domain's dictionary, as stored.
public struct TenantDictionary: Sendable, Equatable {
    public var domain: String
    public var rows: DictionaryRows
    /// Filler settings; nil when never set (the defaults apply).
    public var settings: [String: JSONValue]?
    public var updatedBy: String?
    public var updatedAt: Date

    public init(domain: String, rows: DictionaryRows, settings: [String: JSONValue]?, updatedBy: String?, updatedAt: Date) {
        self.domain = domain
        self.rows = rows
        self.settings = settings
        self.updatedBy = updatedBy
        self.updatedAt = updatedAt
    }
}
