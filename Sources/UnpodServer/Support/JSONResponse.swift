import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import UnpodCore

/// JSON responses written with the one shared wire encoder.
enum JSONResponse {
    // Encoding does not mutate the encoder, so one instance serves every request.
    private static let encoder = JSONEncoder.unpod()

    static func make(_ value: some Encodable, status: Int = 200) -> Response {
        make(body: encode(value), status: status)
    }

    /// A response around an already encoded body.
    static func make(body: ByteBuffer, status: Int = 200) -> Response {
        Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    static func encode(_ value: some Encodable) -> ByteBuffer {
        do {
            return ByteBuffer(bytes: try encoder.encode(value))
        } catch {
            return ByteBuffer(string: #"{"code":"internal_error","message":"Internal server error","status_code":500}"#)
        }
    }

    static func noContent() -> Response {
        Response(status: .noContent)
    }
}
