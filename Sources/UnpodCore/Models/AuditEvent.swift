import Foundation

/// One change recorded in the audit log (issue 5, item 7): who did what to what, when, from where.
/// Never holds a token, secret or password.
public struct AuditEvent: Sendable, Equatable {
    /// Who made the change: a user acting through an API key, or the operator on the command line.
    public struct Actor: Sendable, Equatable {
        /// `api_key` or `cli`.
        public var type: String
        public var userId: Int?
        public var email: String?
        public var keyId: String?

        public init(type: String, userId: Int? = nil, email: String? = nil, keyId: String? = nil) {
            self.type = type
            self.userId = userId
            self.email = email
            self.keyId = keyId
        }
    }

    /// What was changed: `api_key` (its key id), `user` (email), `organization` (handle),
    /// `membership` (the member's email), `provider_configuration` (its id).
    public struct Target: Sendable, Equatable {
        public var type: String
        public var id: String

        public init(type: String, id: String) {
            self.type = type
            self.id = id
        }
    }

    public var id: Int
    /// `api_key.created`, `api_key.rotated`, `api_key.revoked`, `api_key.used_after_rotation`,
    /// `user.created`, `user.deactivated`, `user.activated`, `user.password_changed`,
    /// `organization.created`, `membership.added`, `membership.role_changed`, `membership.removed`,
    /// `provider_configuration.created`, `provider_configuration.updated`, `provider_configuration.deleted`.
    public var action: String
    public var occurredAt: Date
    public var actor: Actor
    public var target: Target
    public var orgHandle: String?
    public var clientAddress: String?
    public var requestId: String?
    /// Non-secret facts about the change (scopes, role, grace end).
    public var details: [String: String]

    public init(
        id: Int, action: String, occurredAt: Date, actor: Actor, target: Target, orgHandle: String?,
        clientAddress: String?, requestId: String?, details: [String: String]
    ) {
        self.id = id
        self.action = action
        self.occurredAt = occurredAt
        self.actor = actor
        self.target = target
        self.orgHandle = orgHandle
        self.clientAddress = clientAddress
        self.requestId = requestId
        self.details = details
    }
}
