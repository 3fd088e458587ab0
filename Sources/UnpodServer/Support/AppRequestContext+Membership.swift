import Hummingbird
import UnpodCore

extension AppRequestContext {
    /// The caller's membership in the organization that owns a resource found by its space token,
    /// agent handle or run id (decisions.md section 2: those endpoints take the organization from
    /// the resource). Nil, so the handler answers 404 as for an unknown one, when the key may not act
    /// there or when `Org-Handle` was sent and names another organization.
    func membership(owning orgID: Int) -> Membership? {
        if let named = membership, named.organization.id != orgID { return nil }
        return caller?.memberships.first { $0.organization.id == orgID }
    }

    /// The same, for a write: owners and admins only (decisions.md section 2).
    func writableMembership(owning orgID: Int, notFound: APIError) throws -> Membership {
        guard let membership = membership(owning: orgID) else { throw notFound }
        guard membership.role >= .admin else { throw APIError.permissionDenied }
        return membership
    }
}
