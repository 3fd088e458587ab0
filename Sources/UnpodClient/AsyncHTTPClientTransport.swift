import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The production transport. Redirects are not followed: the platform never answers with one.
public struct AsyncHTTPClientTransport: Transport {
    let client: HTTPClient
    let timeout: TimeAmount

    /// - Parameter client: a shared client; `HTTPClient.shared` unless the caller manages its own pool.
    public init(client: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        self.client = client
        self.timeout = timeout
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(outgoing, timeout: timeout)
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return TransportResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(body.readableBytesView))
    }
}
