/// One runner as dispatch weighs it, on this node or another (sent between nodes in a
/// ``CallRelayEvent``): whose calls it takes, its load, and where it dials bridges.
struct RunnerSummary: Codable, Sendable, Equatable {
    /// Its connection on the node it is connected to.
    let connectionID: Int
    let workerID: String
    let agentRowID: Int
    let capacity: Int
    var assigned: Int
    /// `ws://host:port` of the node it is connected to, as it reached it: it dials its bridges there.
    let bridgeBase: String

    /// Its load in thousandths, for least-loaded-first.
    var load: Int { assigned * 1000 / max(capacity, 1) }
}
