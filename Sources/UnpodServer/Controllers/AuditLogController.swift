import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// `GET /audit-log/`: the organization's events for its owners and admins (with an `admin`-scope
/// key), or, with `?scope=self`, the events about or by the caller's own user. Newest first.
struct AuditLogController {
    static let actions: Set<String> = [
        "api_key.created", "api_key.rotated", "api_key.revoked", "api_key.used_after_rotation", "user.created",
        "user.deactivated", "user.activated", "user.password_changed", "user.signed_in", "user.signed_out", "organization.created", "membership.added",
        "membership.role_changed", "membership.removed", "provider_configuration.created",
        "provider_configuration.updated", "provider_configuration.deleted", "number.added", "number.released", "number.attached",
        "number.detached",
        "trunk.created", "trunk.deleted", "trunk.numbers_attached", "trunk.numbers_detached", "call_log.reported", "call_log.samples_added", "access_token.minted", "room.participant_removed",
        "space.created", "space.updated", "space.archived", "agent.created", "agent.updated", "agent.published", "agent.unpublished", "agent.archived",
        "run.created", "task.completed", "task.failed", "billing.plan_set", "billing.invoice_closed", "bridge.created", "bridge.updated", "bridge.deleted", "bridge.provider_connected", "bridge.provider_disconnected",
    ]

    let store: SQLStore

    func addRoutes(to group: GuardedRoutes) {
        group.get("audit-log", use: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let query = request.uri.queryParameters
        var filter = AuditFilter()
        switch query["scope"] {
        case "self":
            filter.userID = caller.userID
        case nil, "organization":
            guard let membership = context.membership else { throw APIError.orgHandleRequired }
            guard membership.role >= .admin, caller.scopes.contains(ScopeSet(.admin)) else {
                throw APIError.permissionDenied
            }
            filter.orgID = membership.organization.id
        default:
            throw APIError.invalidParameters("scope must be organization or self")
        }
        let paging = try Pagination(query)
        if let action = query["action"] {
            guard Self.actions.contains(String(action)) else {
                throw APIError.invalidParameters("action must be one of \(Self.actions.sorted().joined(separator: ", "))")
            }
            filter.action = String(action)
        }
        if let actor = query["actor"] {
            guard (1...254).contains(actor.count) else { throw APIError.invalidParameters("actor must be 1 to 254 characters") }
            filter.actor = String(actor)
        }
        let dates = try DateRange(query)
        filter.from = dates.from
        filter.before = dates.before
        let page = try await store.auditEvents(filter, page: paging.page, pageSize: paging.pageSize)
        return JSONResponse.make(
            ListEnvelope(count: page.count, message: "Audit events fetched successfully", data: page.items))
    }
}

extension AppRequestContext {
    /// Who makes a change over the API: the caller's user and key, its address, this request's id.
    func auditActor(_ request: Request, addresses: ClientAddressResolver) throws -> AuditActor {
        .caller(try requireCaller(), context: self, addresses: addresses, request: request)
    }
}

extension AuditActor {
    /// The caller of an API request, with the address and request id it came with.
    static func caller(_ caller: Caller, context: AppRequestContext, addresses: ClientAddressResolver, request: Request)
        -> AuditActor
    {
        .apiKey(
            caller.keyID, userID: caller.userID, email: nil,
            clientAddress: addresses.address(peer: context.channel.remoteAddress, forwardedFor: request.headers[.xForwardedFor]),
            requestID: context.requestID)
    }
}
