import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// The SDK's legacy numbers resource (`speech/v1/numbers`, issue 18): the telephony plane's
/// numbers in the shape `client.numbers` and `client.agents.numbers` read. A number is named by
/// its id or its E.164.
extension APIHandlers {
    func listSpeechNumbers(_ input: Operations.ListSpeechNumbers.Input) async throws -> Operations.ListSpeechNumbers.Output {
        let numbers = try await speechNumbers(
            status: input.query.status?.rawValue, country: input.query.country, trunkType: input.query.trunkType?.rawValue)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Numbers fetched.", data: numbers, count: numbers.count))))
    }

    /// The management plane's list (the SDK's Bearer mode names the status filter `status_filter`).
    func listManagementNumbers(_ input: Operations.ListManagementNumbers.Input) async throws -> Operations.ListManagementNumbers.Output {
        let numbers = try await speechNumbers(
            status: input.query.statusFilter?.rawValue, country: input.query.country, trunkType: input.query.trunkType?.rawValue)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Numbers fetched.", data: numbers, count: numbers.count))))
    }

    /// Binds a number to an agent on the management plane: moved when attached, attached when free.
    func changeManagementNumber(_ input: Operations.ChangeManagementNumber.Input) async throws -> Operations.ChangeManagementNumber.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let number = try await speechNumber(input.path.numberRef)
        let agent = try await numberAgent(body.agentId)
        if try await !store.moveNumber(number.number, orgID: organization.id, toAgent: agent, actor: try auditActor()) {
            let results = try await store.attachNumbers(
                [number.number], orgID: organization.id, termination: .agent(agent), bridgeSlug: nil, region: nil, actor: try auditActor())
            if let result = results?.first, !result.ok { throw APIError.conflict(result.error ?? "The number could not be attached.") }
        }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Number changed.", data: try await speechNumberView(number.number)))))
    }

    func releaseManagementNumber(_ input: Operations.ReleaseManagementNumber.Input) async throws -> Operations.ReleaseManagementNumber.Output {
        .ok(.init(body: .json(.init(statusCode: ._200, message: "Number released.", data: try await releaseNumber(input.path.numberRef)))))
    }

    private func releaseNumber(_ reference: String) async throws -> Components.Schemas.NumberReleased {
        let organization = try APIRequestScope.current().requireMembership().organization
        let number = try await speechNumber(reference)
        try await store.releaseNumbers([number.number], orgID: organization.id, actor: try auditActor())
        return .init(numberId: String(number.id), number: number.number, released: true)
    }

    private func speechNumbers(status: String?, country: String?, trunkType: String?) async throws -> [Components.Schemas.LegacyNumber] {
        let organization = try APIRequestScope.current().requireMembership().organization
        return try await store.numbers(orgID: organization.id, page: 1, pageSize: 10_000).items
            .map { Components.Schemas.LegacyNumber($0, project: organization.domainHandle) }
            .filter { number in
                (status.map { $0 == number.status.rawValue } ?? true) && (country.map { $0.uppercased() == number.country.value } ?? true)
                    && (trunkType.map { $0 == number.trunkType.rawValue } ?? true)
            }
    }

    func syncSpeechNumbers(_ input: Operations.SyncSpeechNumbers.Input) async throws -> Operations.SyncSpeechNumbers.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let count = try await store.numbers(orgID: organization.id, page: 1, pageSize: 1).count
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Numbers synced.", data: .init(synced: count, new: 0)))))
    }

    func releaseSpeechNumber(_ input: Operations.ReleaseSpeechNumber.Input) async throws -> Operations.ReleaseSpeechNumber.Output {
        .ok(.init(body: .json(.init(statusCode: ._200, message: "Number released.", data: try await releaseNumber(input.path.numberRef)))))
    }

    func attachSpeechNumber(_ input: Operations.AttachSpeechNumber.Input) async throws -> Operations.AttachSpeechNumber.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let number = try await speechNumber(input.path.numberRef, or: body.number)
        let agent = try await numberAgent(body.agentId)
        let results = try await store.attachNumbers(
            [number.number], orgID: organization.id, termination: .agent(agent), bridgeSlug: nil, region: nil, actor: try auditActor())
        if let result = results?.first, !result.ok { throw APIError.conflict(result.error ?? "The number could not be attached.") }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Number attached.", data: try await speechNumberView(number.number)))))
    }

    func moveSpeechNumber(_ input: Operations.MoveSpeechNumber.Input) async throws -> Operations.MoveSpeechNumber.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let number = try await speechNumber(input.path.numberRef, or: body.number)
        let agent = try await numberAgent(body.agentId)
        guard try await store.moveNumber(number.number, orgID: organization.id, toAgent: agent, actor: try auditActor()) else {
            throw APIError(statusCode: 409, message: "The number is not attached yet; attach it first.", code: "not_attached")
        }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Number moved.", data: try await speechNumberView(number.number)))))
    }

    func detachSpeechNumber(_ input: Operations.DetachSpeechNumber.Input) async throws -> Operations.DetachSpeechNumber.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let number = try await speechNumber(input.path.numberRef)
        if number.state == "ASSIGNED" { _ = try await store.detachNumbers([number.number], orgID: organization.id, actor: try auditActor()) }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Number detached.", data: try await speechNumberView(number.number)))))
    }

    /// The number the path names (or, when the path's id is not ours, the body's E.164).
    private func speechNumber(_ reference: String, or e164: String? = nil) async throws -> PhoneNumber {
        let organization = try APIRequestScope.current().requireMembership().organization
        if let found = try await store.number(orgID: organization.id, reference: reference) { return found }
        if let e164, let found = try await store.number(orgID: organization.id, reference: e164) { return found }
        throw APIError.notFound("Number not found.")
    }

    private func speechNumberView(_ number: String) async throws -> Components.Schemas.LegacyNumber {
        let organization = try APIRequestScope.current().requireMembership().organization
        return .init(try await speechNumber(number), project: organization.domainHandle)
    }

    /// A published agent of the caller's organization, by handle.
    private func numberAgent(_ handle: String) async throws -> String {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let agent = try await store.agent(handle: handle), agent.orgID == organization.id, agent.agent.state == .published else {
            throw APIError.notFound("Agent not found.")
        }
        return handle
    }
}

extension Components.Schemas.LegacyNumber {
    /// Calling codes of the countries the platform's numbers most often come from (longest first).
    static let countries: [(String, String)] = [
        ("+971", "AE"), ("+91", "IN"), ("+44", "GB"), ("+61", "AU"), ("+49", "DE"), ("+33", "FR"), ("+65", "SG"), ("+1", "US"),
    ]

    init(_ number: PhoneNumber, project: String) {
        let status: StatusPayload = !number.active ? .inactive : number.state == "ASSIGNED" ? .assigned : .available
        self.init(
            id: String(number.id), numberId: String(number.id), projectId: project, number: number.number,
            trunkId: .init(number.trunkId.map(String.init)), providerTrunkId: nil, trunkType: number.trunkId == nil ? .livekit : .byo,
            country: .init(Self.countries.first { number.number.hasPrefix($0.0) }?.1), capabilities: ["voice"], status: status,
            state: number.state == "ASSIGNED" ? .assigned : .notAssigned, agentId: .init(number.agentId), pipeId: nil, activeCallId: nil,
            createdAt: number.createdAt, modified: number.createdAt)
    }
}
