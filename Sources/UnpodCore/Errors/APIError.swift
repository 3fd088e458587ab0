/// The one error every part of the server throws at a client, and the one the SDK decodes.
///
/// On the wire it is the platform's envelope, `{"status_code": N, "message": "...", "code": "..."}`,
/// with `errors` (a free-text detail) only when there is one. `code` is a stable machine word that
/// clients may branch on; the upstream clients ignore unknown keys (decisions.md section 1).
public struct APIError: Error, Codable, Sendable, Equatable {
    public var statusCode: Int
    public var message: String
    public var code: String?
    public var errors: String?
    /// The documented bodies without `status_code` (platform-api.md 1.5, F3 and F5): the task and
    /// run endpoints' 206 `{"message", "errors"}` and AGT-2's 404 `{"message": "Agent not found"}`.
    /// Kept as documented for client compatibility (G-36).
    public var withoutStatusCode = false
    /// Seconds until the client may try again, sent as `Retry-After` (never in the body).
    public var retryAfter: Int? = nil

    enum CodingKeys: String, CodingKey {
        case statusCode = "status_code"
        case message
        case code
        case errors
    }

    public init(statusCode: Int, message: String, code: String? = nil, errors: String? = nil) {
        self.statusCode = statusCode
        self.message = message
        self.code = code
        self.errors = errors
    }

    /// Equal when the bodies are: `Retry-After` travels as a header, so an error read back from a
    /// body equals the one that was sent.
    public static func == (lhs: APIError, rhs: APIError) -> Bool {
        lhs.statusCode == rhs.statusCode && lhs.message == rhs.message && lhs.code == rhs.code
            && lhs.errors == rhs.errors && lhs.withoutStatusCode == rhs.withoutStatusCode
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !withoutStatusCode {
            try container.encode(statusCode, forKey: .statusCode)
            try container.encodeIfPresent(code, forKey: .code)
        }
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(errors, forKey: .errors)
    }
}

extension APIError {
    // The exact table of decisions.md section 1. Tests compare against these, so keep the strings here only.
    public static let notAuthenticated = APIError(
        statusCode: 401, message: "Authentication credentials were not provided.", code: "not_authenticated")
    public static let headerWithoutCredentials = APIError(
        statusCode: 401, message: "Invalid token header. No credentials provided.", code: "invalid_header")
    public static let headerWithSpaces = APIError(
        statusCode: 401, message: "Invalid token header. Token string should not contain spaces.",
        code: "invalid_header")
    public static let invalidToken = APIError(statusCode: 401, message: "Invalid token.", code: "invalid_token")
    public static let tokenExpired = APIError(statusCode: 403, message: "Token has expired.", code: "token_expired")
    public static let userInactive = APIError(
        statusCode: 401, message: "User inactive or deleted.", code: "user_inactive")
    public static let orgHandleRequired = APIError(
        statusCode: 400, message: "Org-Handle header is required.", code: "org_handle_required")
    public static let invalidOrganization = APIError(
        statusCode: 403, message: "Invalid organization handle.", code: "invalid_org")
    public static let invalidProduct = APIError(
        statusCode: 400, message: "Invalid Product-ID header.", code: "invalid_product")
    public static let permissionDenied = APIError(
        statusCode: 403, message: "You do not have permission to perform this action.", code: "permission_denied")

    /// Too many requests for this key; `seconds` also goes out as `Retry-After`.
    public static func throttled(seconds: Int) -> APIError {
        var error = APIError(
            statusCode: 429, message: "Request was throttled. Expected available in \(seconds) seconds.",
            code: "throttled")
        error.retryAfter = seconds
        return error
    }

    /// A query or body value the endpoint cannot use; `detail` names the field and the rule.
    public static func invalidParameters(_ detail: String) -> APIError {
        APIError(statusCode: 400, message: "Invalid request parameters", code: "invalid_parameters", errors: detail)
    }

    /// A telephony write the server refused, with the endpoint's documented message
    /// (`Bridge creation failed.`) and what was wrong in `errors`.
    public static func failed(_ message: String, _ detail: String) -> APIError {
        APIError(statusCode: 400, message: message, code: "invalid_parameters", errors: detail)
    }

    /// F3: HTTP 206 `{"message", "errors"}`, a task or run request the server understood but could
    /// not carry out (`Task creation failed`).
    public static func businessFailure(_ message: String, _ detail: String) -> APIError {
        var error = APIError(statusCode: 206, message: message, errors: detail)
        error.withoutStatusCode = true
        return error
    }

    /// F5: AGT-2's 404, `{"message": "Agent not found"}` (no period, no `status_code`).
    public static let agentTasksNotFound: APIError = {
        var error = APIError(statusCode: 404, message: "Agent not found")
        error.withoutStatusCode = true
        return error
    }()

    /// Well-formed content the server cannot use as it stands (an analytics block whose field
    /// specs break a rule); `detail` says what is wrong.
    public static func unprocessable(_ detail: String) -> APIError {
        APIError(statusCode: 422, message: "The request's content is not valid.", code: "unprocessable", errors: detail)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(statusCode: 404, message: message, code: "not_found")
    }

    public static func conflict(_ message: String, errors: String? = nil) -> APIError {
        APIError(statusCode: 409, message: message, code: "conflict", errors: errors)
    }

    /// The request's header block is over the server's limit (16 KiB).
    public static let headersTooLarge = APIError(
        statusCode: 431, message: "Request header fields too large.", code: "headers_too_large")

    /// The body is over the server's limit (1 MiB unless configured).
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(
            statusCode: 413, message: "Request body too large.", code: "payload_too_large",
            errors: "the body may be at most \(limit) bytes")
    }

    /// Bytes that are not HTTP/1.1.
    public static let malformedRequest = APIError(
        statusCode: 400, message: "Malformed HTTP request.", code: "malformed_request")

    /// The server holds as many connections as it is configured to.
    public static let tooManyConnections = APIError(
        statusCode: 503, message: "Too many open connections. Try again later.", code: "too_many_connections")

    public static let internalError = APIError(
        statusCode: 500, message: "Internal server error", code: "internal_error")

    /// True for the answers that must carry `WWW-Authenticate: Token`.
    public var isUnauthenticated: Bool { statusCode == 401 }
}
