import UnpodAPI

/// Every action the audit log records, as `GET /audit-log/?action=` and the dashboard's filter take
/// them: the document's enum for that parameter, so the list is written once.
enum AuditActions {
    static let all: Set<String> = Set(Operations.ListAuditEvents.Input.Query.ActionPayload.allCases.map(\.rawValue))
}
