import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import UnpodCore

/// One non-streamed `POST {url}/chat/completions` asking for structured output
/// (`response_format: json_schema`, strict): the model's message content, parsed as JSON.
struct StructuredAnswerRequest: Sendable {
    var baseURL: String
    var model: String
    var apiKey: String?
    var timeout: Duration

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func answer(system: String, user: String, schema: JSONValue) async throws -> JSONValue {
        var url = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        url += "/chat/completions"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        let body: JSONValue = .object([
            "model": .string(model),
            "temperature": .integer(0),
            "messages": .array([
                .object(["role": .string("system"), "content": .string(system)]),
                .object(["role": .string("user"), "content": .string(user)]),
            ]),
            "response_format": .object([
                "type": .string("json_schema"),
                "json_schema": .object(["name": .string("analytics_block"), "strict": .bool(true), "schema": schema]),
            ]),
        ])
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response: HTTPClientResponse
        do {
            response = try await ChatCompletionsStream.client.execute(request, deadline: .now() + timeout.timeAmount)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Failure(description: "could not reach the model: \(error)")
        }
        let bytes: ByteBuffer
        do {
            bytes = try await response.body.collect(upTo: 4 << 20)
        } catch {
            throw Failure(description: "the model's answer broke off: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            throw Failure(description: "the model answered HTTP \(response.status.code) \(String(buffer: bytes).prefix(200))")
        }
        guard let envelope = try? JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: bytes).utf8)),
            case .array(let choices)? = envelope["choices"], let message = choices.first?["message"]
        else { throw Failure(description: "the model's answer is not a chat completion") }
        if let refusal = message["refusal"]?.stringValue { throw Failure(description: "the model refused: \(refusal.prefix(200))") }
        guard let content = message["content"]?.stringValue,
            let parsed = try? JSONDecoder().decode(JSONValue.self, from: Data(content.utf8))
        else { throw Failure(description: "the model's message is not JSON") }
        return parsed
    }
}
