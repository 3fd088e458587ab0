import Foundation
import UnpodCore
import UnpodPersistence

/// Who asks for a new key, and so what that key may be: never more scopes, a wider organization
/// or a later expiry than the asker. One set of rules for `POST /api-keys/` (the asker is a key)
/// and the dashboard's "Generate New API Key" (the asker is a signed-in user, who may give any
/// scope and any of their organizations: what the key then reaches is still bounded by their role).
struct KeyGrantor {
    static let defaultGrace: TimeInterval = 24 * 3600
    static let maximumGrace: TimeInterval = 30 * 86_400

    var scopes: ScopeSet
    var memberships: [Membership]
    var restrictedOrgID: Int?
    var expiresAt: Date?

    init(_ caller: Caller) {
        scopes = caller.scopes
        memberships = caller.memberships
        restrictedOrgID = caller.restrictedOrgID
        expiresAt = caller.expiresAt
    }

    init(signedInUserWith memberships: [Membership]) {
        scopes = .all
        self.memberships = memberships
        restrictedOrgID = nil
        expiresAt = nil
    }

    /// A checked request for a key.
    struct NewKey {
        var name: String
        var scopes: ScopeSet
        var organization: OrganizationSummary?
        var expiresAt: Date?
    }

    func newKey(_ request: CreateAPIKeyRequest, now: Date) throws -> NewKey {
        let name = (request.name ?? "API key").trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else {
            throw APIError.invalidParameters("name must be 1 to 100 characters")
        }
        let scopes = request.scopes.map { ScopeSet($0) } ?? self.scopes
        guard !scopes.isEmpty else { throw APIError.invalidParameters("scopes must name at least one scope") }
        guard self.scopes.isSuperset(of: scopes) else { throw APIError.permissionDenied }

        let organization: OrganizationSummary?
        if let handle = request.orgHandle {
            guard let membership = memberships.first(where: { $0.organization.domainHandle == handle }) else {
                throw APIError.invalidOrganization
            }
            organization = membership.organization
        } else if let restrictedOrgID {
            guard let membership = memberships.first(where: { $0.organization.id == restrictedOrgID }) else {
                throw APIError.invalidOrganization
            }
            organization = membership.organization
        } else {
            organization = nil
        }

        var expiry: Date?
        switch (request.expiresAt, request.expiresIn) {
        case (.some, .some):
            throw APIError.invalidParameters("give expires_at or expires_in, not both")
        case (let date?, nil):
            guard date > now else { throw APIError.invalidParameters("expires_at must be in the future") }
            guard date.timeIntervalSince(now) <= DurationText.maximumSeconds else {
                throw APIError.invalidParameters("expires_at may be at most 100 years away")
            }
            expiry = date
        case (nil, let duration?):
            expiry = now.addingTimeInterval(duration.seconds)
        case (nil, nil):
            expiry = nil
        }
        return NewKey(name: name, scopes: scopes, organization: organization, expiresAt: Self.capped(expiry, by: expiresAt))
    }

    /// The grace a rotation gives the old key: a day unless asked, at most 30 days.
    static func grace(_ requested: DurationValue?) throws -> TimeInterval {
        let grace = requested?.seconds ?? defaultGrace
        guard grace <= maximumGrace else { throw APIError.invalidParameters("grace_period may be at most 30 days") }
        return grace
    }

    /// An expiring asker may not make a key that outlives it.
    static func capped(_ expiry: Date?, by limit: Date?) -> Date? {
        guard let limit else { return expiry }
        guard let expiry else { return limit }
        return min(expiry, limit)
    }
}
