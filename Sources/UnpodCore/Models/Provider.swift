import Foundation

/// PRV-1: a provider of the global catalog (platform-api.md 2.11): the union of both documented
/// field sets, plus `type` as the connect-provider answers show it.
public struct Provider: Sendable, Equatable {
    public var id: Int
    public var name: String
    public var slug: String
    public var description: String
    public var icon: String
    public var type: String

    public init(id: Int, name: String, slug: String, description: String, icon: String, type: String) {
        self.id = id
        self.name = name
        self.slug = slug
        self.description = description
        self.icon = icon
        self.type = type
    }
}
