import Foundation
import UnpodCore

/// What a new pipe is made of.
public struct NewPipe: Sendable {
    public var orgID: Int
    public var agent: PipeAgent
    public var name: String
    public var voiceProfileID: String?
    public var recording: Bool
    public var maxCallDurationSeconds: Int
    public var extra: [String: JSONValue]

    public init(
        orgID: Int, agent: PipeAgent, name: String, voiceProfileID: String?, recording: Bool, maxCallDurationSeconds: Int,
        extra: [String: JSONValue]
    ) {
        self.orgID = orgID
        self.agent = agent
        self.name = name
        self.voiceProfileID = voiceProfileID
        self.recording = recording
        self.maxCallDurationSeconds = maxCallDurationSeconds
        self.extra = extra
    }
}
