import Foundation

/// One call of an organization (platform-api.md 2.6). `call_duration` is whole seconds, the nav
/// page's form (G-21); `start_time` and `end_time` are null for a call that was never answered.
public struct CallLog: Sendable, Equatable {
    public enum CallType: String, Codable, Sendable, CaseIterable { case inbound, outbound }
    public enum CallStatus: String, Codable, Sendable, CaseIterable { case completed, missed, failed }

    public var id: Int
    public var callId: String
    public var sourceNumber: String
    public var destinationNumber: String
    public var callType: CallType
    public var callStatus: CallStatus
    public var creationTime: Date
    public var startTime: Date?
    public var endTime: Date?
    public var callDuration: Int
    public var endReason: String?

    public init(
        id: Int, callId: String, sourceNumber: String, destinationNumber: String, callType: CallType,
        callStatus: CallStatus, creationTime: Date, startTime: Date?, endTime: Date?, callDuration: Int,
        endReason: String?
    ) {
        self.id = id
        self.callId = callId
        self.sourceNumber = sourceNumber
        self.destinationNumber = destinationNumber
        self.callType = callType
        self.callStatus = callStatus
        self.creationTime = creationTime
        self.startTime = startTime
        self.endTime = endTime
        self.callDuration = callDuration
        self.endReason = endReason
    }

    // Unset values go out as null, as in the docs' examples, rather than being left out.
}

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

/// Whole seconds, given as an integer or as `H:MM:SS`.
public struct CallDuration: Sendable, Equatable {
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// `H:MM:SS` such as `0:05:25`; nil for any other text.
    public init?(text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let hours = Int(parts[0]), let minutes = Int(parts[1]), let seconds = Int(parts[2]),
            parts[1].count == 2, parts[2].count == 2, (0..<60).contains(minutes), (0..<60).contains(seconds),
            (0...10_000).contains(hours)
        else { return nil }
        self.seconds = hours * 3600 + minutes * 60 + seconds
    }
}
