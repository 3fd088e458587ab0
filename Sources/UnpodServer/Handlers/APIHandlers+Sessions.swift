import Foundation
import OpenAPIRuntime
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Sessions, recordings and transcripts (issue 17, item 3): the SDK's views of calls. A session is
/// a call (its id is the call's); no audio passes through this server, so there are no recordings.
extension APIHandlers {
    func listSessions(_ input: Operations.ListSessions.Input) async throws -> Operations.ListSessions.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.calls(
            orgID: organization.id, status: nil, page: paging.page, pageSize: paging.pageSize, withTranscript: true)
        return .ok(
            .init(body: .json(.init(statusCode: ._200, message: "Sessions fetched.", data: page.items.map(Components.Schemas.Session.init), count: page.count))))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let call = try await store.call(input.path.sessionId, orgID: organization.id) else { throw APIError.notFound("Session not found.") }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Session fetched.", data: .init(call)))))
    }

    func listRecordings(_ input: Operations.ListRecordings.Input) async throws -> Operations.ListRecordings.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        if let callID = input.query.callId, try await store.call(callID, orgID: organization.id) == nil {
            throw APIError.notFound("Call not found.")
        }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Recordings fetched.", data: [], count: 0))))
    }

    func listTranscripts(_ input: Operations.ListTranscripts.Input) async throws -> Operations.ListTranscripts.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let paging = try Pagination(page: input.query.page, pageSize: input.query.pageSize)
        let page = try await store.calls(
            orgID: organization.id, status: nil, ended: true, page: paging.page, pageSize: paging.pageSize, withTranscript: true)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Transcripts fetched.", data: page.items.map(Components.Schemas.Session.init), count: page.count))))
    }
}

extension Components.Schemas.Session {
    init(_ call: Call) {
        self.init(
            sessionId: call.callID, projectId: call.orgHandle, callId: call.callID, pipeId: .init(call.pipeID), agentId: call.agentHandle,
            status: call.status.isTerminal ? .ended : .active, callStatus: call.status, endReason: .init(call.endReason),
            startedAt: .init(call.connectedAt), endedAt: .init(call.endedAt), durationS: Int(call.durationSeconds.rounded()),
            transcript: (call.transcript ?? []).map {
                .init(role: $0.role == .user ? .user : .agent, content: $0.content, timestamp: $0.timestamp)
            },
            recordingUrl: nil, created: call.createdAt)
    }
}
