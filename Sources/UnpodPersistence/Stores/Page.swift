/// One page of a list and the true number of matching rows.
public struct Page<Item: Sendable>: Sendable {
    public var count: Int
    public var items: [Item]
}
