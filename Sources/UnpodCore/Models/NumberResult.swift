import Foundation

/// One number's outcome in an attach or detach (the Python client's `NumberResult`): `number_id`
/// is always an integer, 0 when the number is unknown (decisions.md section 4).
public struct NumberResult: Sendable, Equatable {
    public var numberId: Int
    public var number: String?
    public var connectionState: String?
    public var agentId: String?
    public var ok: Bool
    public var error: String?

    public init(numberId: Int, number: String?, connectionState: String?, agentId: String? = nil, ok: Bool, error: String?) {
        self.numberId = numberId
        self.number = number
        self.connectionState = connectionState
        self.agentId = agentId
        self.ok = ok
        self.error = error
    }
}
