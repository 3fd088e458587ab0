import Foundation
import Synchronization
import UnpodCore

/// An authenticated API key and what it may reach, as cached between requests.
///
/// `memberships` already honours the key's organization restriction: a key restricted to one
/// organization sees that organization only.
///
/// A class, so that the cache and every request context share one instance: passing it through
/// the middleware is one reference, not a copy of every field.
public final class Caller: Sendable {
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
    /// The `GET /organizations/` answer for this key, kept from the first time it is answered
    /// (``CachedAnswerMiddleware``): the list changes only with memberships, which clear the
    /// auth cache and so drop this caller.
    let organizationListBody = Mutex<[UInt8]?>(nil)
    private let membershipIndex: [String: Int]
    /// The last second in which this key's use was handed to the last-used recorder; the recorder
    /// keeps one time per key, so one hand-over per second is enough and spares the lock.
    private let lastRecordedSecond = Atomic<Int64>(0)

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

    /// The handle of the one organization the key is restricted to (and the user belongs to).
    public var restrictedHandle: String? {
        guard restrictedOrgID != nil else { return nil }
        return memberships.first?.organization.domainHandle
    }

    /// The caller's membership in the organization with this handle, if the key may act there.
    public func membership(handle: some StringProtocol) -> Membership? {
        membershipIndex[String(handle)].map { memberships[$0] }
    }

    /// True once per second of wall-clock time: whether this use should be recorded.
    func shouldRecordUse(at now: Date) -> Bool {
        let second = Int64(now.timeIntervalSince1970)
        return lastRecordedSecond.exchange(second, ordering: .relaxed) != second
    }

    public func isExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }
}
