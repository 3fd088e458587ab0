import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// The orchestrator's session controls beyond `end` (issue 18): transfer and merge, as the SDK's
/// `client.sessions.transfer` and `.merge` send them.
extension APIHandlers {
    func transferSession(_ input: Operations.TransferSession.Input) async throws -> Operations.TransferSession.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        guard let call = try await store.call(input.path.sessionId, orgID: organization.id) else { throw APIError.notFound("Session not found.") }
        let config = body.to.config
        let kind: String
        let target: String
        switch body.to._type.lowercased() {
        case "agent":
            guard let handle = config?["agent_id"]?.stringValue, let agent = try await store.agent(handle: handle), agent.orgID == organization.id,
                agent.agent.state == .published
            else { throw APIError.notFound("Agent not found.") }
            (kind, target) = ("agent", handle)
        case "sip", "phone", "number", "pstn":
            guard let number = config?["number"]?.stringValue ?? config?["to_number"]?.stringValue ?? config?["uri"]?.stringValue,
                PhoneNumber.isE164(number) || number.lowercased().hasPrefix("sip:")
            else { throw APIError.invalidParameters("to.config.number must be an E.164 number (or to.config.uri a SIP URI)") }
            (kind, target) = ("number", number)
        default:
            throw APIError.conflict(
                "Transfers to \(body.to._type) are not supported here: transfer to an agent (to.type agent) or a number (to.type phone).")
        }
        let mode = body.mode?.rawValue ?? "cold"
        guard !call.status.isTerminal else { throw APIError.conflict("The session has ended; there is nothing to transfer.") }
        guard await calls.isLive(call.callID) else {
            throw APIError.conflict("The session is held by another node or has not started here; transfer it through the node that holds it.")
        }
        try await store.recordCallTransfer(call.callID, orgID: organization.id, target: "\(kind):\(target)", mode: mode, actor: try auditActor())
        if let refusal = await calls.transfer(call.callID, type: kind, target: target, mode: mode) { throw APIError.conflict(refusal) }
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Session transferred.",
                        data: .init(
                            sessionId: call.callID, addedParticipantId: "\(kind):\(target)",
                            removedParticipantId: .init(mode == "cold" ? "agent:\(call.agentHandle)" : nil), mode: mode == "warm" ? .warm : .cold)))))
    }

    /// There is no media plane to join calls in (a call here is text between its caller side and
    /// its agent), so each secondary session's outcome says it could not be merged and why; the
    /// primary must be a session of the organization.
    func mergeSessions(_ input: Operations.MergeSessions.Input) async throws -> Operations.MergeSessions.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        guard try await store.call(body.primarySessionId, orgID: organization.id) != nil else { throw APIError.notFound("Session not found.") }
        var outcomes: [Components.Schemas.SessionMergeOutcome] = []
        for id in body.secondarySessionIds {
            let found = try await store.call(id, orgID: organization.id) != nil
            outcomes.append(
                .init(
                    sessionId: id, status: .failed, movedParticipantIds: [],
                    error: .init(found ? "merging needs a conference on a media plane; this server carries calls as text, one caller side each" : "Session not found.")))
        }
        return .ok(
            .init(body: .json(.init(statusCode: ._200, message: "Sessions merged.", data: .init(primarySessionId: body.primarySessionId, outcomes: outcomes)))))
    }
}
