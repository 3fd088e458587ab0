import Foundation
import HummingbirdCore
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// The organization's numbers (decisions.md section 4): NUM-1 with the documented `status` and the
/// Python client's `state` and `active` (`include_assigned` defaults to true: every number of the
/// organization; `false` lists only those not yet assigned), NUM-2 and NUM-3 (attach and detach,
/// one result per number), NUM-4 (the overview).
extension APIHandlers {
    func listNumbers(_ input: Operations.ListNumbers.Input) async throws -> Operations.ListNumbers.Output {
        let context = try APIRequestScope.current()
        let organization = try context.requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.numbers(
            orgID: organization.id, includeAssigned: try NumberRules.includeAssigned(context.query), page: paging.page,
            pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Numbers fetched successfully.",
                        data: try page.items.map(Components.Schemas.Number.init)))))
    }

    /// NUM-2: 201 when at least one number was attached, 400 when none was.
    func attachNumbers(_ input: Operations.AttachNumbers.Input) async throws -> Operations.AttachNumbers.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("numbers is required") }
        try NumberRules.checkCount(body.numbers)
        let termination: NumberTermination
        switch body.attachType ?? "agent" {
        case "agent":
            // A number attaches to a published agent of the organization (its handle); anything
            // else fails before any number is touched, as documented.
            if let handle = body.agentId {
                guard let agent = try await store.agent(handle: handle), agent.orgID == organization.id,
                    agent.agent.state == .published
                else {
                    throw APIError(
                        statusCode: 400, message: "Agent not found for this organization.", code: "invalid_parameters",
                        errors: "agent_id names no published agent of this organization")
                }
                termination = .agent(agent.agent.handle)
            } else {
                termination = .agent(nil)
            }
        case "pipeline":
            guard let pipe = body.pipeId, (1...200).contains(pipe.count) else {
                throw APIError.invalidParameters("pipe_id is required when attach_type is pipeline")
            }
            termination = .pipeline(pipe)
        default:
            throw APIError.invalidParameters("attach_type must be agent or pipeline")
        }
        if let region = body.region, !(1...50).contains(region.count) {
            throw APIError.invalidParameters("region must be 1 to 50 characters")
        }
        guard
            let results = try await store.attachNumbers(
                body.numbers, orgID: organization.id, termination: termination, bridgeSlug: body.bridgeSlug,
                region: body.region, actor: try auditActor())
        else { throw APIError.invalidParameters("bridge_slug names no bridge of this organization") }
        let result = try NumberRules.answer(results, agentID: body.agentId, success: "Numbers attached to agent.", none: "No number was attached.")
        return .created(.init(body: .json(.init(statusCode: ._201, message: result.message, data: result))))
    }

    /// NUM-3: 200 when at least one number was detached, 400 when none was.
    func detachNumbers(_ input: Operations.DetachNumbers.Input) async throws -> Operations.DetachNumbers.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("numbers is required") }
        try NumberRules.checkCount(body.numbers)
        let results = try await store.detachNumbers(body.numbers, orgID: organization.id, actor: try auditActor())
        let result = try NumberRules.answer(results, agentID: nil, success: "Numbers detached.", none: "No number was detached.")
        return .ok(.init(body: .json(.init(statusCode: ._200, message: result.message, data: result))))
    }

    /// NUM-4.
    func telephonyOverview(_ input: Operations.TelephonyOverview.Input) async throws -> Operations.TelephonyOverview.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let numbers = try await store.numberOverview(orgID: organization.id)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: numbers.count, statusCode: ._200, message: "Telephony overview fetched successfully.",
                        data: numbers.map(Components.Schemas.NumberOverview.init)))))
    }
}

extension Components.Schemas.Number {
    /// A number as stored; a status, state or connection state the document does not name is a
    /// server bug, answered as such rather than sent.
    public init(_ number: PhoneNumber) throws {
        guard let status = StatusPayload(rawValue: number.status), let state = StatePayload(rawValue: number.state),
            let connection = ConnectionStatePayload(rawValue: number.connectionState)
        else { throw APIError.internalError }
        self.init(
            id: number.id, number: number.number, provider: number.provider, bridgeSlug: .init(number.bridgeSlug),
            trunkId: .init(number.trunkId), agentId: .init(number.agentId), status: status, state: state,
            active: number.active, connectionState: connection, createdAt: number.createdAt)
    }
}

extension Components.Schemas.NumberOverview {
    init(_ overview: NumberOverview) {
        self.init(
            number: overview.number, numberId: overview.numberId, bridgeSlug: .init(overview.bridgeSlug),
            connectionState: overview.connectionState, terminationKind: .init(overview.terminationKind),
            agentId: .init(overview.agentId), provider: overview.provider, syncState: overview.syncState,
            inSync: overview.inSync)
    }
}
