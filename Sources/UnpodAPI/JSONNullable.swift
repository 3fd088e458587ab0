/// A value that is always on the wire and may be `null` there, such as an API key's `expires_at`.
///
/// The generator turns a nullable property into a Swift optional and leaves the key out when it is
/// nil; the platform's answers send `"expires_at": null` instead (every object of a kind has the
/// same keys, as the documented examples do). The document spells such a property as a reference
/// to a `Nullable…` schema (`anyOf: [T, {enum: [null]}]`), and the generator's configuration maps
/// each of those to this type, which writes `null` for nil.
public struct JSONNullable<Wrapped: Codable & Hashable & Sendable>: Codable, Hashable, Sendable {
    public var value: Wrapped?

    public init(_ value: Wrapped?) {
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        value = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

extension JSONNullable: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) {
        self.init(nil)
    }
}

/// A text that may be null compares with a literal as its text does (`number.bridgeSlug == "support"`).
extension JSONNullable: ExpressibleByUnicodeScalarLiteral, ExpressibleByExtendedGraphemeClusterLiteral,
    ExpressibleByStringLiteral
where Wrapped == String {
    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(extendedGraphemeClusterLiteral value: String) {
        self.init(value)
    }

    public init(unicodeScalarLiteral value: String) {
        self.init(value)
    }
}

/// A number that may be null compares with a literal as its number does.
extension JSONNullable: ExpressibleByIntegerLiteral where Wrapped == Int {
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}
