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
