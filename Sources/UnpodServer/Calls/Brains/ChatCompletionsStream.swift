import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import UnpodCore

/// One streamed reply from an OpenAI-compatible `chat/completions` (server-sent events): each
/// `data:` line's `choices[0].delta.content` handed on as it comes, until `data: [DONE]`, and the
/// tool calls the model makes (`delta.tool_calls`, gathered by index) answered at the end. A
/// failure before the first token is retried with backoff; after it, the reply stands as far as
/// it came and the error is thrown.
enum ChatCompletionsStream {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The brains' HTTP client: a refused or unreachable model fails at once (the shared client
    /// retries connecting until the request's deadline), and the caller hears why.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    @discardableResult
    static func reply(
        _ endpoint: ChatEndpoint, transcript: [TranscriptTurn], extra: [JSONValue] = [], onDelta: @escaping @Sendable (String) async -> Void
    ) async throws -> [ToolCall] {
        var attempt = 0
        while true {
            let delivered = DeliveryFlag()
            let calls = ToolCallGatherer()
            do {
                try await withDeadline(endpoint.timeout) {
                    try await once(endpoint, transcript: transcript, extra: extra, calls: calls) { delta in
                        delivered.mark()
                        await onDelta(delta)
                    }
                }
                return calls.calls
            } catch let error as CancellationError {
                throw error
            } catch {
                if delivered.isSet || attempt >= endpoint.maxRetries || Task.isCancelled { throw error }
                attempt += 1
                try await Task.sleep(for: .milliseconds(200 * (1 << min(attempt, 5))))
            }
        }
    }

    /// Whether any of an attempt's reply reached the caller (then it is not asked again).
    final class DeliveryFlag: Sendable {
        private let flag = Mutex(false)
        func mark() { flag.withLock { $0 = true } }
        var isSet: Bool { flag.withLock { $0 } }
    }

    /// The whole reply, from the request to its last token, within `timeout` (the HTTP client's
    /// own deadline does not cover a body that stalls).
    private static func withDeadline(_ timeout: Duration, _ work: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Failure(description: "the reply did not finish within \(timeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private static func once(
        _ endpoint: ChatEndpoint, transcript: [TranscriptTurn], extra: [JSONValue], calls: ToolCallGatherer,
        onDelta: @Sendable (String) async -> Void
    ) async throws {
        var request = HTTPClientRequest(url: endpoint.completionsURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream")
        for (name, value) in endpoint.headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let key = endpoint.apiKey { request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(bytes: try endpoint.body(for: transcript, extra: extra)))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: .now() + endpoint.timeout.timeAmount + .seconds(1))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Failure(description: "could not reach the model: \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            let excerpt = (try? await response.body.collect(upTo: 2048)).map { String(buffer: $0) } ?? ""
            throw Failure(description: "the model answered HTTP \(response.status.code) \(excerpt.prefix(200))")
        }
        var pending = ""
        do {
            for try await chunk in response.body {
                pending += String(buffer: chunk)
                while let newline = pending.firstIndex(of: "\n") {
                    let line = pending[..<newline].trimmingCharacters(in: .whitespacesAndNewlines)
                    pending = String(pending[pending.index(after: newline)...])
                    guard line.hasPrefix("data:") else { continue }
                    let payload = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                    if payload == "[DONE]" { return }
                    guard let event = try? JSONDecoder().decode(JSONValue.self, from: Data(payload.utf8)) else { continue }
                    if let delta = content(of: event), !delta.isEmpty { await onDelta(delta) }
                    calls.add(event)
                }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Failure(description: "the model's stream broke: \(error)")
        }
    }

    /// `choices[0].delta.content` of one event; nil for events without text (role, finish, usage).
    static func content(of event: JSONValue) -> String? {
        guard case .array(let choices)? = event["choices"], let first = choices.first else { return nil }
        return first["delta"]?["content"]?.stringValue
    }

    /// The tool calls of a streamed reply: each event's `delta.tool_calls` pieces, joined by index
    /// (the first piece has the id and name; the arguments' text comes in pieces).
    final class ToolCallGatherer: Sendable {
        private let gathered = Mutex<[Int: ToolCall]>([:])

        func add(_ event: JSONValue) {
            guard case .array(let choices)? = event["choices"], case .array(let pieces)? = choices.first?["delta"]?["tool_calls"] else { return }
            gathered.withLock { calls in
                for piece in pieces {
                    let index = piece["index"]?.integerValue ?? 0
                    var call = calls[index] ?? ToolCall(id: "", name: "", arguments: "")
                    if let id = piece["id"]?.stringValue { call.id = id }
                    if let name = piece["function"]?["name"]?.stringValue { call.name += name }
                    if let arguments = piece["function"]?["arguments"]?.stringValue { call.arguments += arguments }
                    calls[index] = call
                }
            }
        }

        var calls: [ToolCall] { gathered.withLock { $0.sorted { $0.key < $1.key }.map(\.value).filter { !$0.name.isEmpty } } }
    }
}
