import Foundation

/// An organization's custom HTTP tool (issue 18): what a server-run brain offers the model under
/// `toolID` and calls when the model asks. Stored as one JSON document; checked on write
/// (`CustomToolRules`), never holding a credential (those come from `{{ env.NAME }}`).
public struct CustomTool: Codable, Sendable, Equatable {
    public var toolID: String
    public var description: String
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: JSONValue
    /// `{name: {type, description, required}}`: the arguments' schema offered to the model.
    public var args: [String: JSONValue]
    public var timeout: Double?
    /// Agents it is attached to (filled in on reads).
    public var agentHandles: [String] = []

    public init(
        toolID: String, description: String, method: String, url: String, headers: [String: String], body: JSONValue,
        args: [String: JSONValue], timeout: Double?
    ) {
        self.toolID = toolID
        self.description = description
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.args = args
        self.timeout = timeout
    }
}
