import Hummingbird
import Logging
import UnpodCore

/// `GET /rtc/validate?access_token=…[&reconnect=1&sid=…][&org=…]`: what `/rtc` would do with
/// this query now, over plain HTTP (LiveKit's SDKs ask the same path when their socket fails).
/// 200 `{"valid": true}`, or the refusal's close code and reason with 401 (invalid or expired
/// token), 403 (no permission) or 409 (room full): a client that lost the close frame still
/// learns why it was refused.
struct RealtimeValidation {
    let endpoint: RealtimeEndpoint

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get(RouterPath(String(RoomValidationAnswer.path.dropFirst()))) { request, context in
            let query = RealtimeEndpoint.query(request.uri.description)
            let answer: RoomValidationAnswer
            let status: HTTPResponse.Status
            if let close = await endpoint.refusal(query, logger: context.logger) {
                answer = RoomValidationAnswer(valid: false, code: Int(close.code), reason: close.reason)
                status =
                    switch close {
                    case .invalidToken, .tokenExpired: .unauthorized
                    case .roomFull: .conflict
                    default: .forbidden
                    }
            } else {
                (answer, status) = (RoomValidationAnswer(valid: true), .ok)
            }
            return JSONResponse.make(answer, status: Int(status.code))
        }
    }
}
