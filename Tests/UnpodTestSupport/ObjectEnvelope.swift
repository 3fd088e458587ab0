// The tests' own reading of the platform's envelopes (platform-api.md 1.5), independent of the
// generated types the server answers with.
/// E1: one object.
public struct ObjectEnvelope<Item: Codable & Sendable>: Codable, Sendable {
    public var statusCode: Int
    public var message: String
    public var data: Item

    enum CodingKeys: String, CodingKey {
        case statusCode = "status_code"
        case message
        case data
    }

    public init(statusCode: Int = 200, message: String, data: Item) {
        self.statusCode = statusCode
        self.message = message
        self.data = data
    }
}
