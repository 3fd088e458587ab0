import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import UnpodCore

/// JSON responses written with the one shared wire encoder.
enum JSONResponse {
    // Encoding does not mutate the encoder, so one instance serves every request.
    // Neither coder is mutated after creation, so one instance of each serves every request.
    private static let encoder = JSONEncoder.unpod()
    private static let decoder = JSONDecoder.unpod()

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

    /// Decodes a JSON body (an absent body reads as `{}`); a malformed one is 400 in the envelope.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws
        -> T
    {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return try decode(T.self, from: buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView))
    }

    /// Decodes a JSON body already read (for handlers that also hash it).
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw APIError.invalidParameters(error)
        } catch {
            throw APIError.invalidParameters("the body is not valid JSON")
        }
    }
}
