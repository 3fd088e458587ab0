import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime
import UnpodCore
import UnpodPersistence

/// Turns every error into the platform's envelope, in one place. Outermost, so it also sees
/// authentication failures and the router's own 404s.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError(error, logger: context.logger, uploadLimit: context.maxUploadSize)
            var response = JSONResponse.make(apiError, status: apiError.statusCode)
            if apiError.isUnauthenticated {
                response.headers[.wwwAuthenticate] = "Token"
            }
            if let seconds = apiError.retryAfter {
                response.headers[.retryAfter] = String(seconds)
            }
            return response
        }
    }
}

extension APIError {
    /// The mapping from whatever was thrown to what the client is told.
    init(_ error: any Error, logger: Logger, uploadLimit: Int) {
        switch error {
        case let error as APIError:
            self = error
        case let error as ServerError:
            // The generated server wraps what a middleware, a handler or its own request
            // decoding threw; the client is told about the cause, under the operation's own
            // failure message when it has one.
            self.init(error.underlyingError, logger: logger, uploadLimit: uploadLimit)
            if error.underlyingError is DecodingError, let failure = OperationFailures.messages[error.operationID] {
                self = .failed(failure, errors ?? "the body is not valid")
            }
        case let error as DecodingError:
            self = .invalidParameters(error)
        case let error as ContentError:
            self = .unprocessable(error.description)
        case let error as StoreError:
            switch error {
            case .duplicate(let message): self = .conflict(message)
            case .notFound(let message): self = .notFound(message)
            case .invalidState(let message): self = APIError(statusCode: 400, message: message, code: "invalid_request")
            }
        case let error as any HTTPResponseError where error.status.code == 413:
            self = .payloadTooLarge(limit: uploadLimit)
        case let error as HTTPError:
            self.init(
                statusCode: Int(error.status.code), message: error.body ?? error.status.reasonPhrase,
                code: error.status == .notFound ? "not_found" : "http_error")
        case let error as any HTTPResponseError:
            self.init(statusCode: Int(error.status.code), message: error.status.reasonPhrase, code: "http_error")
        default:
            logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            self = .internalError
        }
    }
}
