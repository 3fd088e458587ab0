import Foundation
import HTTPTypes
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
// The SDK answers with the API description's own types: importing the SDK imports them.
@_exported import UnpodAPI
import UnpodCore

/// The Swift SDK for `/api/v2/platform/`: the client generated from the API description
/// (``api``), wrapped where a convenience helps, and the same ``APIError`` the server sends,
/// thrown for any non-2xx answer.
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
}
