import Foundation
import UnpodCore

/// The Swift SDK for `/api/v2/platform/`: the same wire types the server encodes, and the same
/// ``APIError`` it sends, thrown for any non-2xx answer.
public struct UnpodClient: Sendable {
    public let baseURL: String
    private let token: String
    private let orgHandle: String?
    private let transport: any Transport

    /// - Parameters:
    ///   - baseURL: the server's origin, e.g. `http://127.0.0.1:8000`.
    ///   - token: an API key, sent as `Authorization: Token <token>`.
    ///   - orgHandle: sent as `Org-Handle` on every request when set.
    public init(
        baseURL: String, token: String, orgHandle: String? = nil, transport: any Transport = AsyncHTTPClientTransport()
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.orgHandle = orgHandle
        self.transport = transport
    }

    /// The same client acting in another organization.
    public func inOrganization(_ handle: String) -> UnpodClient {
        UnpodClient(baseURL: baseURL, token: token, orgHandle: handle, transport: transport)
    }

    public func organizations() async throws -> [OrganizationSummary] {
        try await send("GET", "organizations/", as: ListEnvelope<OrganizationSummary>.self).data
    }

    /// One page of the organization's calls, newest first, with the true total in `count`.
    public func callLogs(
        page: Int = 1, pageSize: Int = 20, startDate: String? = nil, endDate: String? = nil,
        callType: CallLog.CallType? = nil, callStatus: CallLog.CallStatus? = nil
    ) async throws -> ListEnvelope<CallLog> {
        var query = [("page", "\(page)"), ("page_size", "\(pageSize)")]
        if let startDate { query.append(("start_date", startDate)) }
        if let endDate { query.append(("end_date", endDate)) }
        if let callType { query.append(("call_type", callType.rawValue)) }
        if let callStatus { query.append(("call_status", callStatus.rawValue)) }
        return try await send("GET", "call-logs/", query: query, as: ListEnvelope<CallLog>.self)
    }

    public func apiKeys() async throws -> [APIKeySummary] {
        try await send("GET", "api-keys/", as: ListEnvelope<APIKeySummary>.self).data
    }

    public func createAPIKey(_ request: CreateAPIKeyRequest = CreateAPIKeyRequest()) async throws -> CreatedAPIKey {
        try await send("POST", "api-keys/", body: request, as: ObjectEnvelope<CreatedAPIKey>.self).data
    }

    public func deleteAPIKey(_ keyID: String) async throws {
        _ = try await exchange("DELETE", "api-keys/\(keyID)/", query: [], body: nil)
    }

    public func rotateAPIKey(_ keyID: String, _ request: RotateAPIKeyRequest = RotateAPIKeyRequest()) async throws
        -> CreatedAPIKey
    {
        try await send("POST", "api-keys/\(keyID)/rotate/", body: request, as: ObjectEnvelope<CreatedAPIKey>.self).data
    }

    // MARK: - Plumbing

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
        var components = URLComponents(string: "\(baseURL)/api/v2/platform/\(path)")
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.string else { throw APIError(statusCode: 0, message: "bad URL \(baseURL)") }
        var headers = [("Authorization", "Token \(token)"), ("Accept", "application/json")]
        if let orgHandle { headers.append(("Org-Handle", orgHandle)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response = try await transport.send(TransportRequest(method: method, url: url, headers: headers, body: body))
        guard (200..<300).contains(response.status) else {
            throw (try? JSONDecoder.unpod().decode(APIError.self, from: response.body))
                ?? APIError(statusCode: response.status, message: "HTTP \(response.status)")
        }
        return response.body
    }
}
