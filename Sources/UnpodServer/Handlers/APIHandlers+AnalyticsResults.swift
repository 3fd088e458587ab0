import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Analytics results (issue 18): per block, across blocks (also as one block's flat table), per
/// session and per call. Newest first.
extension APIHandlers {
    func listAnalyticsBlockResults(_ input: Operations.ListAnalyticsBlockResults.Input) async throws -> Operations.ListAnalyticsBlockResults.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let block = try await analyticsBlock(input.path.blockId)
        let results = try await store.analyticsResults(
            orgID: organization.id, AnalyticsResultFilter(blockID: block.blockID, limit: input.query.limit ?? 100, skip: input.query.skip ?? 0))
        return .ok(.init(body: .json(Self.resultList(results))))
    }

    func listAnalyticsResults(_ input: Operations.ListAnalyticsResults.Input) async throws -> Operations.ListAnalyticsResults.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let query = input.query
        var filter = AnalyticsResultFilter(
            agentHandle: query.agentId, status: query.status.flatMap { AnalyticsResult.Status(rawValue: $0.rawValue) }, limit: query.limit ?? 100,
            skip: query.skip ?? 0)
        guard query.format == .flat else {
            filter.blockID = query.blockId
            return .ok(.init(body: .json(.AnalyticsResultList(Self.resultList(try await store.analyticsResults(orgID: organization.id, filter))))))
        }
        guard let blockID = query.blockId else { throw APIError.invalidParameters("format=flat needs block_id: a table has one block's columns") }
        let block = try await analyticsBlock(blockID)
        filter.blockID = block.blockID
        let table = AnalyticsTable(block: block.definition, results: try await store.analyticsResults(orgID: organization.id, filter))
        return .ok(
            .init(
                body: .json(
                    .AnalyticsResultTable(
                        .init(
                            statusCode: ._200, message: "Analytics results fetched.",
                            data: .init(columns: table.columns.map { .init(name: $0.name, _type: $0.type) }, rows: table.rows))))))
    }

    func listSessionAnalytics(_ input: Operations.ListSessionAnalytics.Input) async throws -> Operations.ListSessionAnalytics.Output {
        .ok(.init(body: .json(Self.resultList(try await callResults(input.path.sessionId, notFound: "Session not found.")))))
    }

    func listCallAnalytics(_ input: Operations.ListCallAnalytics.Input) async throws -> Operations.ListCallAnalytics.Output {
        .ok(.init(body: .json(Self.resultList(try await callResults(input.path.callId, notFound: "Call not found.")))))
    }

    /// Every block's result for a call of the caller's organization.
    func callResults(_ callID: String, notFound: String) async throws -> [AnalyticsResult] {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard try await store.call(callID, orgID: organization.id) != nil else { throw APIError.notFound(notFound) }
        return try await store.analyticsResults(orgID: organization.id, AnalyticsResultFilter(callID: callID, limit: 1000))
    }

    static func resultList(_ results: [AnalyticsResult]) -> Components.Schemas.AnalyticsResultList {
        .init(statusCode: ._200, message: "Analytics results fetched.", data: results.map(Components.Schemas.AnalyticsResult.init), count: results.count)
    }
}

extension Components.Schemas.AnalyticsResult {
    init(_ result: AnalyticsResult) {
        self.init(
            resultId: result.resultID, blockId: result.blockID, name: result.blockName, sessionId: result.callID, callId: result.callID,
            agentId: result.agentHandle, status: .init(rawValue: result.status.rawValue) ?? .failed, summary: result.summary,
            successEvaluation: result.successEvaluation ?? .null, data: .object(result.data), error: .init(result.error), model: .init(result.model),
            latencyMs: .init(result.latencyMS), blockVersion: result.blockVersion, attempts: result.attempts, created: result.created,
            completed: .init(result.completed), nextAttemptAt: .init(result.nextAttemptAt))
    }
}
