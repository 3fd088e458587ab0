import Foundation
import HTTPTypes
import OpenAPIRuntime
import UnpodCore

/// Any answer outside 2xx becomes the server's ``APIError`` (its envelope, with `Retry-After`
/// when sent), thrown before the generated code looks at it: SDK users catch one error type.
struct ErrorEnvelopeMiddleware: ClientMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, answer) = try await next(request, body, baseURL)
        guard response.status.kind != .successful else { return (response, answer) }
        var bytes = Data()
        if let answer { bytes = try await Data(collecting: answer, upTo: 1024 * 1024) }
        var error =
            (try? JSONDecoder.unpod().decode(APIError.self, from: bytes))
            ?? APIError(statusCode: response.status.code, message: "HTTP \(response.status.code)")
        error.retryAfter = response.headerFields[.retryAfter].flatMap { Int($0) }
        throw error
    }
}
