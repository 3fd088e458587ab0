import UnpodAPI
import UnpodCore

extension APIHandlers {
    /// ORG-1 `GET /organizations/`: the organizations the key may act in (platform-api.md 2.1).
    /// Answered from memory after the first time per cached key (``CachedAnswerMiddleware``).
    func listOrganizations(_ input: Operations.ListOrganizations.Input) async throws
        -> Operations.ListOrganizations.Output
    {
        let organizations = try APIRequestScope.caller().memberships.map(\.organization)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: organizations.count, statusCode: ._200, message: "Organizations fetched successfully",
                        data: organizations.map(Components.Schemas.Organization.init)))))
    }
}

extension Components.Schemas.Organization {
    init(_ organization: OrganizationSummary) {
        self.init(
            id: organization.id, name: organization.name, domainHandle: organization.domainHandle,
            createdAt: organization.createdAt)
    }
}
