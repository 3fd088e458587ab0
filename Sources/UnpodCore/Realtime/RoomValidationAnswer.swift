/// What `GET /rtc/validate` answers, shared by the server and the SDK: whether `/rtc` would admit
/// the query now, and if not, the close code and reason it would refuse it with.
public struct RoomValidationAnswer: Codable, Sendable, Equatable {
    public static let path = "/rtc/validate"

    public var valid: Bool
    public var code: Int?
    public var reason: String?

    public init(valid: Bool, code: Int? = nil, reason: String? = nil) {
        self.valid = valid
        self.code = code
        self.reason = reason
    }
}
