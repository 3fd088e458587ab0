import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// LOG-1 `GET /call-logs/`, the organization's calls newest first (platform-api.md 2.6; pages
/// kept in memory by ``CachedAnswerMiddleware``), and `POST /call-logs/`, a voice runtime
/// reporting a finished call (issue 6, item 4).
extension APIHandlers {
    func listCallLogs(_ input: Operations.ListCallLogs.Input) async throws -> Operations.ListCallLogs.Output {
        let context = try APIRequestScope.current()
        let organization = try context.requireMembership().organization
        let query = context.query
        let paging = try Pagination(query)
        let page = try await store.callLogs(
            orgID: organization.id, filter: try CallLogRules.filter(query), page: paging.page, pageSize: paging.pageSize)
        return .ok(
            .init(
                body: .json(
                    .init(
                        count: page.count, statusCode: ._200, message: "Call logs fetched successfully",
                        data: page.items.map(Components.Schemas.CallLog.init)))))
    }

    /// 201 with the stored row, or 200 with the row already stored when the same report is retried.
    func reportCallLog(_ input: Operations.ReportCallLog.Input) async throws -> Operations.ReportCallLog.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("call_id is required") }
        let log = try CallLogRules.validated(try ReportCallLogRequest(body), now: clock.now())
        let (stored, created) = try await store.reportCallLog(orgID: organization.id, log, actor: try auditActor())
        let answer = Components.Schemas.CallLogEnvelope(
            statusCode: created ? ._201 : ._200,
            message: created ? "Call log recorded successfully." : "Call log already recorded.", data: .init(stored))
        return created ? .created(.init(body: .json(answer))) : .ok(.init(body: .json(answer)))
    }
}

extension ReportCallLogRequest {
    /// The report as the rules read it; `call_duration` as whole seconds or `H:MM:SS`.
    init(_ body: Components.Schemas.ReportCallLogRequest) throws {
        var duration: Int?
        switch body.callDuration {
        case .case1(let seconds): duration = seconds
        case .case2(let text):
            guard let seconds = CallDuration(text: text)?.seconds else {
                throw APIError.invalidParameters("call_duration: seconds, or H:MM:SS such as 0:05:25")
            }
            duration = seconds
        case nil: duration = nil
        }
        self.init(
            callId: body.callId, sourceNumber: body.sourceNumber, destinationNumber: body.destinationNumber,
            callType: body.callType, callStatus: body.callStatus,
            creationTime: body.creationTime, startTime: body.startTime, endTime: body.endTime, callDuration: duration,
            endReason: body.endReason)
    }
}

extension Components.Schemas.CallLog {
    init(_ log: CallLog) {
        self.init(
            id: log.id, callId: log.callId, sourceNumber: log.sourceNumber, destinationNumber: log.destinationNumber,
            callType: log.callType, callStatus: log.callStatus, creationTime: log.creationTime,
            startTime: .init(log.startTime), endTime: .init(log.endTime), callDuration: log.callDuration,
            endReason: .init(log.endReason))
    }
}
