import Foundation

/// One frame of a call's two sockets as it is on the wire: an `event` and the fields of every
/// kind, snake_case, absent when nil. The bridge (the runner's side, ``BridgeProtocol``) and the
/// caller side (``CallerProtocol``) share the spelling of the events they have in common.
struct CallFrame: Codable, Equatable {
    var event: String
    var text: String?
    var isFinal: Bool?
    var protocolVersion: Int?
    var callID: String?
    var sessionID: String?
    var jobID: String?
    var roomID: String?
    var agentID: String?
    var voiceProfileID: String?
    var metadata: JSONValue?
    var reason: String?
    var status: String?
    var endReason: String?
    var turnID: Int?
    var transferType: String?
    var target: String?
    var mode: String?
    var announcement: String?
    var severity: String?
    var source: String?
    var code: String?
    var message: String?

    enum CodingKeys: String, CodingKey {
        case event, text, metadata, reason, status, target, mode, announcement, severity, source, code, message
        case isFinal = "is_final"
        case protocolVersion = "protocol_version"
        case callID = "call_id"
        case sessionID = "session_id"
        case jobID = "job_id"
        case roomID = "room_id"
        case agentID = "agent_id"
        case voiceProfileID = "voice_profile_id"
        case endReason = "end_reason"
        case turnID = "turn_id"
        case transferType = "transfer_type"
    }

    init(event: String) {
        self.event = event
    }

    static func decode(_ text: String) -> CallFrame? {
        try? JSONDecoder.unpod().decode(CallFrame.self, from: Data(text.utf8))
    }

    func encoded() -> String {
        (try? String(decoding: JSONEncoder.unpod().encode(self), as: UTF8.self)) ?? #"{"event":"error"}"#
    }
}

