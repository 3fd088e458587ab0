import Foundation

/// `POST /call-logs/` body: a voice runtime reports a finished call. `call_duration` is whole
/// seconds or `H:MM:SS` (G-21); times take the documented timestamp forms.
public struct ReportCallLogRequest: Sendable, Equatable {
    public var callId: String
    public var sourceNumber: String
    public var destinationNumber: String
    public var callType: CallLog.CallType
    public var callStatus: CallLog.CallStatus
    public var creationTime: Date?
    public var startTime: Date?
    public var endTime: Date?
    public var callDuration: CallDuration?
    public var endReason: String?

    public init(
        callId: String, sourceNumber: String, destinationNumber: String, callType: CallLog.CallType,
        callStatus: CallLog.CallStatus, creationTime: Date? = nil, startTime: Date? = nil, endTime: Date? = nil,
        callDuration: Int? = nil, endReason: String? = nil
    ) {
        self.callId = callId
        self.sourceNumber = sourceNumber
        self.destinationNumber = destinationNumber
        self.callType = callType
        self.callStatus = callStatus
        self.creationTime = creationTime
        self.startTime = startTime
        self.endTime = endTime
        self.callDuration = callDuration.map(CallDuration.init(seconds:))
        self.endReason = endReason
    }
}
