import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends the key as `Authorization: Token <key>` and the organization as `Org-Handle` on every
/// request of the SDK, generated or not.
struct CredentialsMiddleware: ClientMiddleware {
    let token: String
    let orgHandle: String?

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Token \(token)"
        if let orgHandle, let name = HTTPField.Name("Org-Handle") { request.headerFields[name] = orgHandle }
        return try await next(request, body, baseURL)
    }
}
