import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A stand-in for a language model (the one part of a call that cannot run here): an
/// OpenAI-compatible `POST …/chat/completions` that streams a scripted answer as server-sent
/// events, the way OpenAI, vLLM and Ollama do. Deterministic: the answer repeats the last user
/// turn. `/slow/v1` waits before its first token; `/fail/v1` answers 500. Every request is kept
/// for the test to read (headers, query, body).
///
/// A request with `response_format: json_schema` (structured output, as analytics blocks ask) gets
/// one non-streamed completion whose content fills the schema from the transcript
/// (``structuredAnswer(schema:transcript:)``); `/wrong/v1` answers one that misses the schema.
final class ScriptedModelServer: Sendable {
    struct Seen: Sendable {
        let path: String
        let query: String
        let authorization: String?
        let headers: [String: String]
        let bodyData: Data
        var body: [String: Any] { (try? JSONSerialization.jsonObject(with: bodyData)) as? [String: Any] ?? [:] }
        var messages: [[String: String]] {
            (body["messages"] as? [[String: Any]] ?? []).map { $0.compactMapValues { $0 as? String } }
        }
    }

    let port: Int
    private let recorder: Recorder

    final class Recorder: Sendable {
        let seen = Mutex<[Seen]>([])
    }

    var url: String { "http://127.0.0.1:\(port)/v1" }
    var slowURL: String { "http://127.0.0.1:\(port)/slow/v1" }
    var failingURL: String { "http://127.0.0.1:\(port)/fail/v1" }
    var wrongURL: String { "http://127.0.0.1:\(port)/wrong/v1" }
    var requests: [Seen] { recorder.seen.withLock { $0 } }

    private init(port: Int, recorder: Recorder) {
        self.port = port
        self.recorder = recorder
    }

    /// The answer to a user turn, in the chunks it is streamed in.
    static func answer(to turn: String) -> [String] { ["You said: ", turn, ". Anything else?"] }

    /// The scripted structured answer: `summary` lists what the caller said; then per property,
    /// an enum's first choice the caller named (else its first), a string the caller's last line,
    /// an integer the number of caller lines, a number that plus a half, a boolean whether the
    /// caller said "yes", a list the caller's lines.
    static func structuredAnswer(schema: [String: Any], transcript: String) -> [String: Any] {
        let said = transcript.split(separator: "\n").compactMap { line in
            line.hasPrefix("Caller: ") ? String(line.dropFirst("Caller: ".count)) : nil
        }
        var answer: [String: Any] = [:]
        for (name, value) in schema["properties"] as? [String: [String: Any]] ?? [:] {
            if name == "summary" { answer[name] = "The caller said: " + said.joined(separator: " | "); continue }
            if let choices = value["enum"] as? [String] {
                answer[name] = choices.first { choice in said.contains { $0.lowercased().contains(choice.lowercased()) } } ?? choices.first
                continue
            }
            switch value["type"] as? String {
            case "integer": answer[name] = said.count
            case "number": answer[name] = Double(said.count) + 0.5
            case "boolean": answer[name] = said.contains { $0.lowercased().contains("yes") }
            case "array": answer[name] = said
            default: answer[name] = said.last ?? ""
            }
        }
        return answer
    }

    /// A streamed turn: the text chunks and the tool calls (name, arguments' JSON text). Without
    /// tools on offer, the echo of ``answer(to:)``. With them: a caller line naming an order (digits)
    /// calls `lookup_order` with those digits; a turn after a tool's result says what it returned
    /// and calls `end_call`.
    static func scriptedTurn(_ request: Seen) -> ([String], [(name: String, arguments: String)]) {
        let lastUser = request.messages.last { $0["role"] == "user" }?["content"] ?? ""
        let tools = (request.body["tools"] as? [[String: Any]] ?? []).compactMap { ($0["function"] as? [String: Any])?["name"] as? String }
        guard !tools.isEmpty else { return (answer(to: lastUser), []) }
        if let last = request.messages.last, last["role"] == "tool" {
            return (["The tool said: ", last["content"] ?? "", ". Goodbye!"], tools.contains("end_call") ? [("end_call", #"{"reason":"done"}"#)] : [])
        }
        let digits = lastUser.filter(\.isNumber)
        if lastUser.lowercased().contains("order"), !digits.isEmpty, tools.contains("lookup_order") {
            return (["Let me check. "], [("lookup_order", #"{"order_id":"\#(digits)"}"#)])
        }
        return (answer(to: lastUser), [])
    }

    static func with<T: Sendable>(_ body: @Sendable (ScriptedModelServer) async throws -> T) async throws -> T {
        let record = Recorder()
        let router = Router()
        for prefix in ["v1", "slow/v1", "fail/v1", "wrong/v1"] {
            router.post("\(prefix)/chat/completions") { request, _ -> Response in
                let bytes = try await request.body.collect(upTo: 1 << 20)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let entry = Seen(
                    path: request.uri.path, query: request.uri.query ?? "", authorization: request.headers[.authorization],
                    headers: headers, bodyData: Data(buffer: bytes))
                record.seen.withLock { $0.append(entry) }
                if prefix == "fail/v1" {
                    return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: #"{"error":"scripted failure"}"#)))
                }
                if case let format as [String: Any] = entry.body["response_format"],
                    case let wrapper as [String: Any] = format["json_schema"], case let schema as [String: Any] = wrapper["schema"]
                {
                    let transcript = entry.messages.last { $0["role"] == "user" }?["content"] ?? ""
                    let content = prefix == "wrong/v1" ? ["summary": 42] : structuredAnswer(schema: schema, transcript: transcript)
                    let text = String(decoding: try JSONSerialization.data(withJSONObject: content, options: [.sortedKeys]), as: UTF8.self)
                    let completion = try JSONSerialization.data(withJSONObject: [
                        "id": "chatcmpl-scripted", "object": "chat.completion",
                        "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": text]]],
                    ])
                    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: completion)))
                }
                let (chunks, calls) = scriptedTurn(entry)
                let slow = prefix == "slow/v1"
                return Response(
                    status: .ok, headers: [.contentType: "text/event-stream"],
                    body: ResponseBody { writer in
                        if slow { try await Task.sleep(for: .seconds(3)) }
                        try await writer.write(ByteBuffer(string: #"data: {"choices":[{"delta":{"role":"assistant"},"index":0}]}"# + "\n\n"))
                        for chunk in chunks {
                            let event = try JSONSerialization.data(withJSONObject: ["choices": [["delta": ["content": chunk], "index": 0]]])
                            try await writer.write(ByteBuffer(string: "data: " + String(decoding: event, as: UTF8.self) + "\n\n"))
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        for (index, call) in calls.enumerated() {
                            // Each call in two pieces: the id and name with half the arguments, then the rest.
                            let half = call.arguments.index(call.arguments.startIndex, offsetBy: call.arguments.count / 2)
                            for (piece, first) in [(String(call.arguments[..<half]), true), (String(call.arguments[half...]), false)] {
                                var function: [String: Any] = ["arguments": piece]
                                var delta: [String: Any] = ["index": index, "function": function]
                                if first {
                                    function["name"] = call.name
                                    delta = ["index": index, "id": "call_\(index)_\(call.name)", "type": "function", "function": function]
                                }
                                let event = try JSONSerialization.data(withJSONObject: ["choices": [["delta": ["tool_calls": [delta]], "index": 0]]])
                                try await writer.write(ByteBuffer(string: "data: " + String(decoding: event, as: UTF8.self) + "\n\n"))
                            }
                        }
                        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                        try await writer.finish(nil)
                    })
            }
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: { var logger = Logger(label: "scripted-model"); logger.logLevel = .critical; return logger }())
        // The server runs in a task of its own that the test does not wait for at the end: its
        // graceful shutdown waits for connections the server's pooled HTTP client keeps open, which
        // must not hold a test up.
        let service = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { service.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        return try await body(ScriptedModelServer(port: port, recorder: record))
    }
}
