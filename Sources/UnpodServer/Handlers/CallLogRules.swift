import Foundation
import HummingbirdCore
import UnpodCore
import UnpodPersistence

/// What a reported call must be, and how the call-log list is filtered: shared by the API
/// (``APIHandlers``) and the dashboard's Call Logs page.
enum CallLogRules {
    /// The rules a reported call must meet; the detail names the first one broken.
    static func validated(_ body: ReportCallLogRequest, now: Date) throws -> CallLog {
        func invalid(_ detail: String) -> APIError { APIError.invalidParameters(detail) }
        guard (1...100).contains(body.callId.count), body.callId.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { throw invalid("call_id must be 1 to 100 printable characters") }
        guard PhoneNumber.isE164(body.sourceNumber) else { throw invalid("source_number must be E.164, e.g. +14155551234") }
        guard PhoneNumber.isE164(body.destinationNumber) else {
            throw invalid("destination_number must be E.164, e.g. +14155551234")
        }
        let latest = now.addingTimeInterval(300)  // clock skew between the runtime and this server
        let creation = body.creationTime ?? body.startTime ?? now
        for (name, time) in [("creation_time", creation), ("start_time", body.startTime), ("end_time", body.endTime)] {
            if let time, time > latest { throw invalid("\(name) is in the future") }
            if let time, time < Date(timeIntervalSince1970: 946_684_800) { throw invalid("\(name) is before 2000") }
        }
        var duration = body.callDuration?.seconds
        if let duration, !(0...7 * 86_400).contains(duration) { throw invalid("call_duration must be 0 to 604800 seconds") }
        switch (body.startTime, body.endTime) {
        case (nil, .some):
            throw invalid("end_time needs a start_time")
        case (let start?, let end?):
            guard end >= start else { throw invalid("end_time is before start_time") }
            guard start >= creation.addingTimeInterval(-1) else { throw invalid("start_time is before creation_time") }
            let measured = Int(end.timeIntervalSince(start).rounded())
            if let given = duration, abs(given - measured) > 1 {
                throw invalid("call_duration does not match end_time - start_time (\(measured) s)")
            }
            duration = duration ?? measured
        case (let start?, nil):
            guard start >= creation.addingTimeInterval(-1) else { throw invalid("start_time is before creation_time") }
        case (nil, nil):
            break
        }
        if body.callStatus == .missed, body.startTime != nil || (duration ?? 0) != 0 {
            throw invalid("a missed call has no start_time, end_time or duration")
        }
        if let reason = body.endReason, !(1...100).contains(reason.count) { throw invalid("end_reason must be 1 to 100 characters") }
        return CallLog(
            id: 0, callId: body.callId, sourceNumber: body.sourceNumber, destinationNumber: body.destinationNumber,
            callType: body.callType, callStatus: body.callStatus, creationTime: creation, startTime: body.startTime,
            endTime: body.endTime, callDuration: duration ?? 0, endReason: body.endReason)
    }

    /// LOG-1's filters: `start_date`, `end_date`, `call_type`, `call_status` (the dashboard's list takes them too).
    static func filter(_ query: FlatDictionary<Substring, Substring>) throws -> CallLogFilter {
        let dates = try DateRange(query)
        var filter = CallLogFilter(from: dates.from, before: dates.before)
        if let text = query["call_type"] {
            guard let type = CallLog.CallType(rawValue: String(text)) else {
                throw APIError.invalidParameters("call_type must be inbound or outbound")
            }
            filter.callType = type
        }
        if let text = query["call_status"] {
            guard let status = CallLog.CallStatus(rawValue: String(text)) else {
                throw APIError.invalidParameters("call_status must be completed, missed or failed")
            }
            filter.callStatus = status
        }
        return filter
    }
}
