import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import UnpodAPI
import UnpodCore

/// The Swift SDK for `/api/v2/platform/`: the client generated from the API description
/// (``api``), wrapped where a convenience helps, and the same ``APIError`` the server sends,
/// thrown for any non-2xx answer.
///
/// Operations not yet in the generated part go through ``exchange(_:_:query:body:)`` over the same
/// transport and middleware, so every call sends the same headers and fails the same way.
public struct UnpodClient: Sendable {
    public let baseURL: String
    private let token: String
    let orgHandle: String?
    private let transport: any ClientTransport
    /// Every generated operation, callable directly (`try await client.api.listAPIKeys()`).
    public let api: Client

    /// - Parameters:
    ///   - baseURL: the server's origin, e.g. `http://127.0.0.1:8000`.
    ///   - token: an API key, sent as `Authorization: Token <token>`.
    ///   - orgHandle: sent as `Org-Handle` on every request when set.
    ///   - transport: how requests travel; AsyncHTTPClient's shared client unless given.
    public init(
        baseURL: String, token: String, orgHandle: String? = nil,
        transport: any ClientTransport = AsyncHTTPClientTransport(configuration: .init(timeout: .seconds(30)))
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.orgHandle = orgHandle
        self.transport = transport
        self.api = Client(
            serverURL: URL(string: self.baseURL) ?? URL(fileURLWithPath: "/"), configuration: .unpod,
            transport: transport, middlewares: [CredentialsMiddleware(token: token, orgHandle: orgHandle), ErrorEnvelopeMiddleware()])
    }

    /// The same client acting in another organization.
    public func inOrganization(_ handle: String) -> UnpodClient {
        UnpodClient(baseURL: baseURL, token: token, orgHandle: handle, transport: transport)
    }

    // MARK: - Plumbing

    /// Runs a generated call, throwing the server's ``APIError`` itself rather than the
    /// generated client's wrapper around it.
    func call<Output>(_ operation: () async throws -> Output) async throws -> Output {
        do {
            return try await operation()
        } catch let error as ClientError {
            throw error.underlyingError
        }
    }

    func send<Response: Decodable>(
        _ method: String, _ path: String, query: [(String, String)] = [], as type: Response.Type
    ) async throws -> Response {
        try JSONDecoder.unpod().decode(type, from: try await exchange(method, path, query: query, body: nil))
    }

    func send<Body: Encodable, Response: Decodable>(
        _ method: String, _ path: String, body: Body, as type: Response.Type
    ) async throws -> Response {
        let data = try JSONEncoder.unpod().encode(body)
        return try JSONDecoder.unpod().decode(type, from: try await exchange(method, path, query: [], body: data))
    }

    func exchange(_ method: String, _ path: String, query: [(String, String)], body: Data?) async throws -> Data {
        var components = URLComponents()
        components.path = "/api/v2/platform/\(path)"
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let target = components.string, let server = URL(string: baseURL) else {
            throw APIError(statusCode: 0, message: "bad URL \(baseURL)")
        }
        var request = HTTPRequest(method: HTTPRequest.Method(method) ?? .get, scheme: nil, authority: nil, path: target)
        request.headerFields[.accept] = "application/json"
        if body != nil { request.headerFields[.contentType] = "application/json" }
        let middlewares: [any ClientMiddleware] = [CredentialsMiddleware(token: token, orgHandle: orgHandle), ErrorEnvelopeMiddleware()]
        var next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?) = {
            try await transport.send($0, body: $1, baseURL: $2, operationID: "")
        }
        for middleware in middlewares.reversed() {
            let inner = next
            next = { try await middleware.intercept($0, body: $1, baseURL: $2, operationID: "", next: inner) }
        }
        let (_, answer) = try await next(request, body.map { HTTPBody([UInt8]($0)) }, server)
        guard let answer else { return Data() }
        return try await Data(collecting: answer, upTo: 16 * 1024 * 1024)
    }
}
