import Foundation

/// `provider` in a request: a provider id (P2) or a slug (P1).
public enum ProviderReference: Sendable, Equatable {
    case id(Int)
    case slug(String)
}
