import Foundation

/// A telephony bridge (platform-api.md 2.9.1): the union of every documented field.
public struct Bridge: Sendable, Equatable {
    public enum Status: String, Codable, Sendable, CaseIterable { case DRAFT, ACTIVE, INACTIVE }

    /// A number on the bridge (BridgeNumber).
    public struct Number: Sendable, Equatable {
        public var id: Int
        public var numberId: Int
        public var number: String
        public var state: String
        public var active: Bool
        public var channelsCount: Int
        public var status: String

        public init(numberId: Int, number: String, active: Bool) {
            self.id = numberId
            self.numberId = numberId
            self.number = number
            self.state = "ASSIGNED"
            self.active = active
            self.channelsCount = 1
            self.status = active ? "active" : "inactive"
        }
    }

    /// The connected provider configuration, as connect answers show it (variant A).
    public struct ProviderCredential: Sendable, Equatable {
        public struct Details: Sendable, Equatable {
            public var id: Int
            public var name: String
            public var type: String
        }

        public var id: Int
        public var name: String
        public var provider: Int
        public var providerDetails: Details
        public var active: Bool

        public init(id: Int, name: String, providerID: Int, providerName: String, providerType: String, active: Bool) {
            self.id = id
            self.name = name
            self.provider = providerID
            self.providerDetails = Details(id: providerID, name: providerName, type: providerType)
            self.active = active
        }
    }

    public var id: Int
    public var name: String
    public var slug: String
    public var description: String
    public var status: Status
    public var documentsStatus: String
    public var region: String?
    public var hub: Int?
    public var numbers: [Number]
    /// The connected provider's slug, null when none is connected.
    public var provider: String?
    public var providerCredential: ProviderCredential?
    public var organization: OrganizationSummary
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: Int, name: String, slug: String, description: String, status: Status, region: String?, numbers: [Number],
        provider: String?, providerCredential: ProviderCredential?, organization: OrganizationSummary, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.slug = slug
        self.description = description
        self.status = status
        self.documentsStatus = "pending"
        self.region = region
        self.hub = nil
        self.numbers = numbers
        self.provider = provider
        self.providerCredential = providerCredential
        self.organization = organization
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

