import Foundation
import UnpodCore

/// An authenticated API key and what it may reach, as cached between requests.
///
/// `memberships` already honours the key's organization restriction: a key restricted to one
/// organization sees that organization only.
public struct Caller: Sendable {
    public let keyRowID: Int
    public let keyID: String
    public let userID: Int
    public let userActive: Bool
    public let scopes: ScopeSet
    public let restrictedOrgID: Int?
    /// When the key stops working: its expiry or, once rotated, the end of its grace.
    public let expiresAt: Date?
    public let rotatedAt: Date?
    public let memberships: [Membership]
    private let membershipIndex: [String: Int]

    public init(_ credential: StoredCredential) {
        keyRowID = credential.keyRowID
        keyID = credential.keyID
        userID = credential.userID
        userActive = credential.userActive
        scopes = credential.scopes
        restrictedOrgID = credential.restrictedOrgID
        expiresAt = credential.effectiveExpiry
        rotatedAt = credential.rotatedAt
        memberships = credential.memberships.filter { membership in
            credential.restrictedOrgID.map { $0 == membership.organization.id } ?? true
        }
        membershipIndex = Dictionary(
            memberships.enumerated().map { ($1.organization.domainHandle, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The caller's membership in the organization with this handle, if the key may act there.
    public func membership(handle: some StringProtocol) -> Membership? {
        membershipIndex[String(handle)].map { memberships[$0] }
    }

    public func isExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }
}
