// The tests' own reading of the platform's envelopes (platform-api.md 1.5), independent of the
// generated types the server answers with.
/// E2 (platform-api.md 1.5): a list with its true total `count`.
public struct ListEnvelope<Item: Codable & Sendable>: Codable, Sendable {
    public var count: Int
    public var statusCode: Int
    public var message: String
    public var data: [Item]

    enum CodingKeys: String, CodingKey {
        case count
        case statusCode = "status_code"
        case message
        case data
    }

    public init(count: Int, statusCode: Int = 200, message: String, data: [Item]) {
        self.count = count
        self.statusCode = statusCode
        self.message = message
        self.data = data
    }
}
