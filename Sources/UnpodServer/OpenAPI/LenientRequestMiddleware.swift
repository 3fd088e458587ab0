import HTTPTypes
import OpenAPIRuntime
import UnpodCore

/// Reads requests as the platform always has, before the generated code checks them:
/// - a body is read up to the server's limit (413 past it, chunked or not: the generated decoder
///   itself would read without bound);
/// - an empty body is no body (the generated decoder would reject zero bytes as JSON);
/// - a body is JSON whatever `Content-Type` says (`curl -d` sends a form type);
/// - `Accept` is not enforced (every answer is JSON);
/// - answers say `Content-Type: application/json`, as they always have (the generated code adds
///   `; charset=utf-8`, which JSON does not take: RFC 8259 section 11).
/// - the bytes read stay in ``APIRequestScope`` for the handlers that need them as sent;
/// So clients written against the hand-registered routes keep working unchanged.
struct LenientRequestMiddleware: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if request.headerFields[.accept] != nil { request.headerFields[.accept] = nil }
        guard let body, request.method != .get, request.method != .head else {
            return Self.plainJSON(try await next(Self.withoutBody(request), nil, metadata))
        }
        guard let box = APIRequestScope.box else { throw APIError.internalError }
        let limit = box.context.maxUploadSize
        let bytes: [UInt8]
        do {
            bytes = try await [UInt8](collecting: body, upTo: limit)
        } catch {
            throw APIError.payloadTooLarge(limit: limit)
        }
        guard !bytes.isEmpty else { return Self.plainJSON(try await next(Self.withoutBody(request), nil, metadata)) }
        if request.headerFields[.contentType] != "application/json" {
            request.headerFields[.contentType] = "application/json"
        }
        // The bytes stay with the request's scope for the handlers that need them as sent.
        let forwarded = request
        return Self.plainJSON(
            try await APIRequestScope.run(with: box.context, head: box.head, body: bytes) {
                try await next(forwarded, HTTPBody(bytes), metadata)
            })
    }

    /// No body, so no type for it (the generated code checks a declared type even then).
    private static func withoutBody(_ request: HTTPRequest) -> HTTPRequest {
        var request = request
        if request.headerFields[.contentType] != nil { request.headerFields[.contentType] = nil }
        return request
    }

    private static func plainJSON(_ answer: (HTTPResponse, HTTPBody?)) -> (HTTPResponse, HTTPBody?) {
        var answer = answer
        if answer.0.headerFields[.contentType] == "application/json; charset=utf-8" {
            answer.0.headerFields[.contentType] = "application/json"
        }
        return answer
    }
}
