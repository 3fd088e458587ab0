import UnpodCore

/// What a group of routes demands beyond a valid key.
public struct AccessPolicy: Sendable {
    public enum Organization: Sendable {
        /// `Org-Handle` is not read (e.g. `GET /organizations/`, which is how handles are found).
        case notUsed
        /// `Org-Handle` must name an organization the key may act in.
        case required
        /// Resolved as with `.required` when sent; the handler decides what its absence means.
        case optional
    }

    public enum ScopeRule: Sendable {
        /// `read` for GET and HEAD, `write` for anything else.
        case byMethod
        /// This scope, whatever the method.
        case always(Scope)
    }

    public var organization: Organization
    public var scope: ScopeRule
    /// The lowest role in the organization (only with `.required`).
    public var minimumRole: Role
    /// The lowest role for anything but GET and HEAD (decisions.md section 2: writes to telephony
    /// and providers need an owner or admin).
    public var minimumWriteRole: Role

    public init(organization: Organization, scope: ScopeRule, minimumRole: Role = .member, minimumWriteRole: Role? = nil) {
        self.organization = organization
        self.scope = scope
        self.minimumRole = minimumRole
        self.minimumWriteRole = max(minimumRole, minimumWriteRole ?? minimumRole)
    }
}
