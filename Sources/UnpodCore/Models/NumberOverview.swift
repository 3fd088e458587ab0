import Foundation

/// NUM-4: one number in the telephony overview.
public struct NumberOverview: Sendable, Equatable {
    public var number: String
    public var numberId: Int
    public var bridgeSlug: String?
    public var connectionState: String
    /// `agent`, `pipeline`, `sip` (on a trunk), or null when the number ends nowhere yet.
    public var terminationKind: String?
    public var agentId: String?
    public var provider: String
    /// `in_sync`: with no downstream media server to drift from, what is stored is what serves.
    public var syncState: String
    public var inSync: Bool

    public init(
        number: String, numberId: Int, bridgeSlug: String?, connectionState: String, terminationKind: String?,
        agentId: String?, provider: String
    ) {
        self.number = number
        self.numberId = numberId
        self.bridgeSlug = bridgeSlug
        self.connectionState = connectionState
        self.terminationKind = terminationKind
        self.agentId = agentId
        self.provider = provider
        self.syncState = "in_sync"
        self.inSync = true
    }
}
