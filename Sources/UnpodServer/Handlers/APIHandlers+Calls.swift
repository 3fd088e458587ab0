import Foundation
import HTTPTypes
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Live calls (issue 17): a web call for an agent (`sessions/token`), and the organization's calls.
extension APIHandlers {
    func createSessionToken(_ input: Operations.CreateSessionToken.Input) async throws -> Operations.CreateSessionToken.Output {
        let context = try APIRequestScope.current()
        let organization = try context.requireMembership().organization
        let body: Components.Schemas.SessionTokenRequest? = switch input.body { case .json(let body): body; case nil: nil }
        switch (body?.agentId, body?.pipeId) {
        case (nil, nil), (.some, .some):
            throw APIError.invalidParameters("name exactly one of agent_id and pipe_id")
        case (let handle, let pipeID):
            var pipe: String?
            let agent: AgentRecord
            if let pipeID {
                guard let found = try await store.pipe(orgID: organization.id, pipeID: pipeID), found.agent.agent.state != .archived else {
                    throw APIError.notFound("Pipe not found.")
                }
                (agent, pipe) = (found.agent, found.pipe.pipeID)
            } else {
                guard let found = try await store.agent(handle: handle ?? ""), found.orgID == organization.id, found.agent.state != .archived
                else { throw APIError.notFound("Agent not found.") }
                agent = found
            }
            var generator = SystemRandomNumberGenerator()
            let token = "cs_" + Base62.random(count: 40, using: &generator)
            var data = JSONValue.object([:])
            if let metadata = body?.metadata { data = metadata }
            let call = try await store.createCall(
                NewCall(orgID: organization.id, agent: agent, direction: "web", data: data, callerToken: token, pipeID: pipe, nodeID: calls.nodeID),
                actor: try auditActor())
            let base = tokens.serverURL(authority: try APIRequestScope.head().authority)
            await calls.start(call, agentRowID: agent.rowID)
            return .created(
                .init(
                    body: .json(
                        .init(
                            statusCode: ._201, message: "Session token created.",
                            data: .init(
                                token: token, expiresAt: call.createdAt.addingTimeInterval(callConfiguration.callerTokenLifetime),
                                sessionId: call.callID, callId: call.callID,
                                mediaUrl: base + CallerProtocol.pathPrefix + call.callID + CallerProtocol.pathSuffix)))))
        }
    }

    /// `calls.create`: a phone call from the agent to `to_number`, placed by a phone gateway.
    func createCall(_ input: Operations.CreateCall.Input) async throws -> Operations.CreateCall.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        guard let toNumber = body.toNumber.value, PhoneNumber.isE164(toNumber) else {
            throw APIError.invalidParameters("to_number must be an E.164 number such as +14155550123")
        }
        if let from = body.fromNumber, !PhoneNumber.isE164(from) {
            throw APIError.invalidParameters("from_number must be an E.164 number such as +14155550100")
        }
        if let instructions = body.instructions, instructions.count > 20_000 {
            throw APIError.invalidParameters("instructions are at most 20,000 characters")
        }
        guard let handle = body.agentId else {
            if body.pipeId != nil { throw APIError.notFound("Pipe not found.") }
            throw APIError.invalidParameters("name agent_id (or pipe_id)")
        }
        guard let agent = try await store.agent(handle: handle), agent.orgID == organization.id, agent.agent.state == .published
        else { throw APIError.notFound("Agent not found.") }
        var data = JSONValue.emptyObject
        if let given = body.data {
            guard case .object = given else { throw APIError.invalidParameters("data must be a JSON object") }
            data = given
        }
        var generator = SystemRandomNumberGenerator()
        let token = "cs_" + Base62.random(count: 40, using: &generator)
        let call = try await store.createCall(
            NewCall(
                orgID: organization.id, agent: agent, direction: "outbound", toNumber: toNumber, fromNumber: body.fromNumber,
                instructions: body.instructions, data: data, callerToken: token, nodeID: calls.nodeID),
            actor: try auditActor())
        let base = tokens.serverURL(authority: try APIRequestScope.head().authority)
        let mediaURL = base + CallerProtocol.pathPrefix + call.callID + CallerProtocol.pathSuffix
        let hub = calls
        // The gateway is sought in the background: the answer is the call as created (the SDK's
        // "queued/accepted state"), and the call ends notConnected if no gateway comes.
        Task { await hub.placePhoneCall(call, agentRowID: agent.rowID, mediaURL: mediaURL, token: token) }
        return .created(.init(body: .json(.init(statusCode: ._201, message: "Call created.", data: .init(call)))))
    }

    func listCalls(_ input: Operations.ListCalls.Input) async throws -> Operations.ListCalls.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.calls(
            orgID: organization.id, status: input.query.callStatus, pipeID: input.query.pipeId, page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(count: page.count, statusCode: ._200, message: "Calls fetched.", data: page.items.map { Components.Schemas.LiveCall($0) }))))
    }

    func getCall(_ input: Operations.GetCall.Input) async throws -> Operations.GetCall.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let call = try await store.call(input.path.callId, orgID: organization.id) else { throw APIError.notFound("Call not found.") }
        let analytics = try await store.analyticsResults(orgID: organization.id, AnalyticsResultFilter(callID: call.callID, limit: 1000))
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Call fetched.", data: .init(call, analytics: analytics)))))
    }

    func hangupCall(_ input: Operations.HangupCall.Input) async throws -> Operations.HangupCall.Output {
        let after = try await hangUp(input.path.callId)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Call hung up.", data: .init(after)))))
    }

    /// The SDK's `sessions.end` (the orchestrator plane): a session id is a call id.
    func endSession(_ input: Operations.EndSession.Input) async throws -> Operations.EndSession.Output {
        let after = try await hangUp(input.path.sessionId)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Session ended.", data: .init(sessionId: after.callID, state: .ended)))))
    }

    /// Ends a call of the caller's organization that is in flight (audited), through whichever
    /// node holds it; the call as it is after.
    private func hangUp(_ callID: String) async throws -> Call {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let call = try await store.call(callID, orgID: organization.id) else { throw APIError.notFound("Call not found.") }
        if !call.status.isTerminal {
            try await store.recordCallHangup(call.callID, orgID: organization.id, actor: try auditActor())
            if await calls.isLive(call.callID) {
                await calls.hangUp(call.callID, reason: "HANGUP_REQUESTED")
            } else if calls.relay.isConnected, let holder = try await store.callHolder(call.callID, silence: CallNodeWatch.silence),
                holder != calls.nodeID
            {
                try await hangUp(call.callID, on: holder, orgID: organization.id)
            } else {
                // In flight in the database but on no live node (its node stopped): ended now, not left hanging.
                try await store.endCall(call.callID, status: .failed, endReason: "the node that held the call is gone", transcript: [])
            }
        }
        guard let after = try await store.call(call.callID, orgID: organization.id) else { throw APIError.notFound("Call not found.") }
        return after
    }

    /// Asks the node holding a call to hang it up, and waits (a few seconds at most) for the end
    /// it stores, so that the answer shows the call ended.
    private func hangUp(_ callID: String, on holder: String, orgID: Int) async throws {
        var request = calls.relay.event(.hangup, to: holder)
        request.call = callID
        request.reason = "HANGUP_REQUESTED"
        calls.relay.publish(request)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let now = try await store.call(callID, orgID: orgID), now.status.isTerminal { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw APIError.conflict("The node holding the call did not end it in time; try again.")
    }
}

extension Components.Schemas.LiveCall {
    /// A call as the API shows it; `analytics` only where one call is read (lists leave it empty).
    init(_ call: Call, analytics: [AnalyticsResult] = []) {
        let ring = call.connectedAt.map { connected in call.dispatchedAt.map { connected.timeIntervalSince($0) } ?? 0 } ?? 0
        self.init(
            id: call.callID, callId: call.callID, orgId: call.orgHandle, projectId: call.orgHandle, agentId: call.agentHandle,
            direction: .init(rawValue: call.direction) ?? .web, status: call.status, endReason: .init(call.endReason),
            toNumber: .init(call.toNumber), fromNumber: .init(call.fromNumber), instructions: .init(call.instructions),
            data: call.data, analytics: analytics.map(Components.Schemas.AnalyticsResult.init),
            traces: .init(
                callTimings: .init(
                    callDialedAt: .init(call.dispatchedAt), callConnectedAt: .init(call.connectedAt), callEndedAt: .init(call.endedAt),
                    ringDurationSeconds: max(0, ring), talkDurationSeconds: call.durationSeconds)),
            transcript: .init(
                call.transcript.map { $0.map { .init(role: .init(rawValue: $0.role.rawValue) ?? .agent, content: $0.content, timestamp: $0.timestamp) } }),
            transcriptTurns: call.transcriptTurns, durationS: call.durationSeconds, startedAt: .init(call.connectedAt),
            endedAt: .init(call.endedAt), recordingUrl: nil, created: call.createdAt)
    }
}
