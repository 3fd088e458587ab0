// The tests' own reading of the platform's envelopes (platform-api.md 1.5), independent of the
// generated types the server answers with.
/// The doubly wrapped envelope of the voice-profile endpoints (platform-api.md 3.3):
/// `{"status_code", "message", "data": {"data": ...}}`, with `count` on lists.
public struct NestedEnvelope<Item: Codable & Sendable>: Codable, Sendable {
    public struct Inner: Codable, Sendable {
        public var data: Item
    }

    public var count: Int?
    public var statusCode: Int
    public var message: String
    public var data: Inner

    enum CodingKeys: String, CodingKey {
        case count
        case statusCode = "status_code"
        case message
        case data
    }

    public init(count: Int? = nil, statusCode: Int = 200, message: String, data: Item) {
        self.count = count
        self.statusCode = statusCode
        self.message = message
        self.data = Inner(data: data)
    }
}
