import Foundation

/// One HTTP exchange, independent of the HTTP library that carries it.
public struct TransportRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Data?
}

public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// How the client sends requests: AsyncHTTPClient in production, anything else in tests.
public protocol Transport: Sendable {
    func send(_ request: TransportRequest) async throws -> TransportResponse
}
