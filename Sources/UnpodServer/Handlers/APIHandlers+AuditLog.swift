import UnpodAPI
import UnpodCore
import UnpodPersistence

/// `GET /audit-log/`: the organization's events for its owners and admins (with an `admin`-scope
/// key), or, with `?scope=self`, the events about or by the caller's own user. Newest first.
extension APIHandlers {
    func listAuditEvents(_ input: Operations.ListAuditEvents.Input) async throws -> Operations.ListAuditEvents.Output {
        let context = try APIRequestScope.current()
        let caller = try context.requireCaller()
        let query = try AuditQuery(context.query)
        var filter = AuditFilter()
        if query.selfOnly {
            filter.userID = caller.userID
        } else {
            guard let membership = context.membership else { throw APIError.orgHandleRequired }
            guard membership.role >= .admin, caller.scopes.contains(ScopeSet(.admin)) else {
                throw APIError.permissionDenied
            }
            filter.orgID = membership.organization.id
        }
        filter.action = query.action
        filter.actor = query.actor
        filter.from = query.dates.from
        filter.before = query.dates.before
        let page = try await store.auditEvents(filter, page: query.paging.page, pageSize: query.paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Audit events fetched successfully",
                        data: try page.items.map(Components.Schemas.AuditEvent.init)))))
    }
}

extension Components.Schemas.AuditEvent {
    /// An event as stored; a kind of actor or target the document does not name is a server bug
    /// (the store writes only the documented ones), answered as such rather than sent.
    public init(_ event: AuditEvent) throws {
        guard let actorType = ActorPayload._TypePayload(rawValue: event.actor.type),
            let targetType = TargetPayload._TypePayload(rawValue: event.target.type)
        else { throw APIError.internalError }
        self.init(
            id: event.id, action: event.action, occurredAt: event.occurredAt,
            actor: .init(
                _type: actorType, userId: .init(event.actor.userId), email: .init(event.actor.email),
                keyId: .init(event.actor.keyId)),
            target: .init(_type: targetType, id: event.target.id), orgHandle: .init(event.orgHandle),
            clientAddress: .init(event.clientAddress), requestId: .init(event.requestId),
            details: .init(additionalProperties: event.details))
    }
}
