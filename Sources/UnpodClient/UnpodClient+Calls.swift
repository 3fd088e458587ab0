import Foundation
import UnpodAPI
import UnpodCore

/// Live calls (issue 17): web calls for an agent, and the organization's calls with their transcripts.
extension UnpodClient {
    /// A web call for an agent: connect a ``CallerConnection`` with the answer to converse.
    public func startWebCall(agent handle: String, metadata: JSONValue? = nil) async throws -> Schemas.SessionToken {
        try await call {
            try await api.createSessionToken(
                headers: .init(orgHandle: organization), body: .json(.init(agentId: handle, metadata: metadata))
            ).created.body.json.data
        }
    }

    /// A call with its transcript and timings.
    public func liveCall(_ callID: String) async throws -> Schemas.LiveCall {
        try await call { try await api.getCall(path: .init(callId: callID), headers: .init(orgHandle: organization)).ok.body.json.data }
    }

    /// The organization's calls, newest first, without transcripts.
    public func liveCalls(status: CallStatus? = nil, page: Int = 1, pageSize: Int = 20) async throws -> Schemas.LiveCallList {
        try await call {
            try await api.listCalls(
                query: .init(callStatus: status, page: page, pageSize: pageSize), headers: .init(orgHandle: organization)
            ).ok.body.json
        }
    }

    /// Ends a call in flight; a call that already ended is answered as it is.
    public func hangUp(_ callID: String) async throws -> Schemas.LiveCall {
        try await call {
            try await api.hangupCall(path: .init(callId: callID), headers: .init(orgHandle: organization)).ok.body.json.data
        }
    }
}
