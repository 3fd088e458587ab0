/// What is wrong with well-formed content the server cannot use as it stands (an analytics
/// block's field specs, a custom tool's URL or templates); answered 422 with this detail.
public struct ContentError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
