import HTTPTypes
import Hummingbird
import Logging
import UnpodCore

/// Gives every answer an `X-Request-ID` and every log line of the request the same id
/// (`hb.request.id`): the client's own when it sent a sane one, else the one Hummingbird made.
/// Outermost, so error answers carry it too.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let sent = request.headers.value(.xRequestID), Self.isSane(sent) {
            context.requestID = sent
            context.logger[metadataKey: "hb.request.id"] = .string(sent)
        } else {
            context.requestID = context.id
        }
        var response = try await next(request, context)
        response.headers[.xRequestID] = context.requestID
        return response
    }

    /// 1 to 128 characters of letters, digits, `-`, `_`, `.` and `:`: safe in a header and a log line.
    static func isSane(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: ":")
            }
    }
}

extension HTTPField.Name {
    static let xRequestID = Self("X-Request-ID")!
}
