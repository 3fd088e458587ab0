/// What is wrong with an analytics block's definition; answered 422 with this detail.
public struct AnalyticsSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
