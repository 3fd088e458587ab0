import Foundation
import SQLKit
import UnpodCore

/// Which calls `GET /call-logs/` returns. Dates apply to `creation_time`: `from` inclusive, `before` exclusive.
public struct CallLogFilter: Sendable, Equatable {
    public var from: Date?
    public var before: Date?
    public var callType: CallLog.CallType?
    public var callStatus: CallLog.CallStatus?

    public init(
        from: Date? = nil, before: Date? = nil, callType: CallLog.CallType? = nil, callStatus: CallLog.CallStatus? = nil
    ) {
        self.from = from
        self.before = before
        self.callType = callType
        self.callStatus = callStatus
    }
}

extension SQLStore {
    /// The organization's calls, newest first (ties by id, so pages never overlap).
    public func callLogs(orgID: Int, filter: CallLogFilter, page: Int, pageSize: Int) async throws -> Page<CallLog> {
        var conditions: SQLQueryString = "org_id = \(bind: orgID)"
        if let from = filter.from { conditions = conditions + " AND creation_time >= \(bind: from.millis)" }
        if let before = filter.before { conditions = conditions + " AND creation_time < \(bind: before.millis)" }
        if let type = filter.callType { conditions = conditions + " AND call_type = \(bind: type.rawValue)" }
        if let status = filter.callStatus { conditions = conditions + " AND call_status = \(bind: status.rawValue)" }
        return try await self.page(
            of: "call_logs", where: conditions, orderBy: "creation_time DESC, id DESC", page: page, pageSize: pageSize,
            decode: Self.callLog(from:))
    }

    /// One page of a table's rows matching `conditions`, and the true count: the shape of every list.
    func page<Item: Sendable>(
        of table: String, columns: String = "*", where conditions: SQLQueryString, orderBy order: String, page: Int,
        pageSize: Int, decode: @escaping @Sendable (any SQLRow) throws -> Item
    ) async throws -> Page<Item> {
        let offset = (page - 1) * pageSize
        return try await database.withConnection { db in
            let count = try await db.raw("SELECT COUNT(*) AS n FROM " + SQLQueryString(table) + " WHERE " + conditions)
                .first()!.decode(column: "n", as: Int.self)
            guard offset < count else { return Page(count: count, items: []) }
            let items = try await db.raw(
                "SELECT " + SQLQueryString(columns) + " FROM " + SQLQueryString(table) + " WHERE " + conditions
                    + " ORDER BY \(unsafeRaw: order) LIMIT \(bind: pageSize) OFFSET \(bind: offset)"
            ).all().map(decode)
            return Page(count: count, items: items)
        }
    }

    /// Records a call a voice runtime reports, once: a retried report of the same call finds the
    /// stored row (`created` false). Another call under the same `call_id` is a conflict.
    public func reportCallLog(orgID: Int, _ log: CallLog, actor: AuditActor) async throws -> (log: CallLog, created: Bool) {
        do {
            return try await database.transaction { db in
                if let stored = try await Self.callLog(db, orgID: orgID, callID: log.callId) {
                    guard Self.sameCall(stored, log) else {
                        throw StoreError.duplicate("A call log with this call_id exists with other values.")
                    }
                    return (stored, false)
                }
                let stored = try await Self.insertCallLog(db, orgID: orgID, log)
                try await audit(
                    db,
                    AuditRecord(
                        action: "call_log.reported", targetType: "call_log", targetID: log.callId, orgID: orgID,
                        orgHandle: try await Self.handle(db, orgID: orgID), details: ["call_status": log.callStatus.rawValue]),
                    by: actor)
                return (stored, true)
            }
        } catch where isUniqueViolation(error) {
            // A concurrent report of the same call won the insert: answer with its row.
            guard let stored = try await database.withConnection({ db in try await Self.callLog(db, orgID: orgID, callID: log.callId) }),
                Self.sameCall(stored, log)
            else { throw StoreError.duplicate("A call log with this call_id exists with other values.") }
            return (stored, false)
        }
    }

    static func callLog(_ db: any SQLDatabase, orgID: Int, callID: String) async throws -> CallLog? {
        try await db.raw("SELECT * FROM call_logs WHERE org_id = \(bind: orgID) AND call_id = \(bind: callID)").first()
            .map(callLog(from:))
    }

    /// The same report, compared at the stored precision (milliseconds).
    private static func sameCall(_ stored: CallLog, _ log: CallLog) -> Bool {
        var incoming = log
        incoming.id = stored.id
        incoming.creationTime = Date(millis: log.creationTime.millis)
        incoming.startTime = log.startTime.map { Date(millis: $0.millis) }
        incoming.endTime = log.endTime.map { Date(millis: $0.millis) }
        return incoming == stored
    }

    /// Stores a call of the organization (the telephony side reports calls; tests and seeding use it too).
    @discardableResult
    public func insertCallLog(orgID: Int, _ log: CallLog) async throws -> CallLog {
        try await database.withConnection { db in try await Self.insertCallLog(db, orgID: orgID, log) }
    }

    /// Stores many calls in one transaction, all of them or none (`unpod demo call-logs`), audited once.
    public func insertCallLogs(orgID: Int, _ logs: [CallLog], actor: AuditActor = .cli) async throws {
        try await database.transaction { db in
            for log in logs { _ = try await Self.insertCallLog(db, orgID: orgID, log) }
            try await audit(
                db,
                AuditRecord(
                    action: "call_log.samples_added", targetType: "organization", targetID: String(orgID), orgID: orgID,
                    orgHandle: try await Self.handle(db, orgID: orgID), details: ["count": String(logs.count)]),
                by: actor)
        }
    }

    static func insertCallLog(_ db: any SQLDatabase, orgID: Int, _ log: CallLog) async throws -> CallLog {
            let id = try await db.raw(
                """
                INSERT INTO call_logs (org_id, call_id, source_number, destination_number, call_type, call_status,
                                       creation_time, start_time, end_time, call_duration, end_reason)
                VALUES (\(bind: orgID), \(bind: log.callId), \(bind: log.sourceNumber), \(bind: log.destinationNumber),
                        \(bind: log.callType.rawValue), \(bind: log.callStatus.rawValue), \(bind: log.creationTime.millis),
                        \(bind: log.startTime.millis), \(bind: log.endTime.millis), \(bind: log.callDuration),
                        \(bind: log.endReason))
                RETURNING id
                """
            ).first()!.decode(column: "id", as: Int.self)
            var stored = log
            stored.id = id
            return stored
    }

    static func callLog(from row: any SQLRow) throws -> CallLog {
        func date(_ column: String) throws -> Date? {
            try row.decode(column: column, as: Int64?.self).map(Date.init(millis:))
        }
        return CallLog(
            id: try row.decode(column: "id", as: Int.self),
            callId: try row.decode(column: "call_id", as: String.self),
            sourceNumber: try row.decode(column: "source_number", as: String.self),
            destinationNumber: try row.decode(column: "destination_number", as: String.self),
            callType: CallLog.CallType(rawValue: try row.decode(column: "call_type", as: String.self)) ?? .inbound,
            callStatus: CallLog.CallStatus(rawValue: try row.decode(column: "call_status", as: String.self)) ?? .failed,
            creationTime: try date("creation_time")!,
            startTime: try date("start_time"),
            endTime: try date("end_time"),
            callDuration: try row.decode(column: "call_duration", as: Int.self),
            endReason: try row.decode(column: "end_reason", as: String?.self))
    }
}
