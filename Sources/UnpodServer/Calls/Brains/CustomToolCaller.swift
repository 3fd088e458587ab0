import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import UnpodCore

/// Calls a custom HTTP tool for a model: fills `{{ args.NAME }}` (URL-encoded in the URL) and
/// `{{ env.NAME }}` (only the variables the operator listed) into its URL, headers and body;
/// refuses a destination that resolves to a private address unless the operator allows it; waits
/// at most the tool's timeout; and answers the model a short text: the status and the body's start.
struct CustomToolCaller: Sendable {
    let allowPrivate: Bool
    let environment: Set<String>
    static let maxResult = 4000

    func call(_ tool: CustomTool, arguments: [String: JSONValue]) async -> String {
        let url = fill(tool.url, arguments, inURL: true)
        guard let components = URLComponents(string: url), let host = components.host, ["http", "https"].contains(components.scheme ?? "") else {
            return "error: the tool's URL is not valid once filled in"
        }
        if !allowPrivate, await PrivateDestinations.resolvesPrivately(host) {
            return "error: the tool's host resolves to a private address, which tools may not reach"
        }
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: tool.method)
        for (name, value) in tool.headers { request.headers.replaceOrAdd(name: name, value: fill(value, arguments, inURL: false)) }
        if tool.method != "GET", tool.method != "DELETE" {
            let body = filled(tool.body, arguments)
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)))
        }
        let timeout = min(tool.timeout ?? CustomToolRules.defaultTimeout, CustomToolRules.maxTimeout)
        do {
            let response = try await ChatCompletionsStream.client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            let body = try await response.body.collect(upTo: 1 << 20)
            let text = String(buffer: body)
            return "HTTP \(response.status.code): " + String(text.prefix(Self.maxResult))
        } catch {
            return "error: the tool did not answer: \(error)"
        }
    }

    /// `text` with each template filled; in a URL, arguments are percent-encoded.
    func fill(_ text: String, _ arguments: [String: JSONValue], inURL: Bool) -> String {
        CustomToolRules.replacingTemplates(in: text) { placeholder in
            let parts = placeholder.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return "" }
            if parts[0] == "args", let argument = arguments[parts[1]] {
                let value = argument.stringValue ?? String(decoding: (try? JSONEncoder().encode(argument)) ?? Data(), as: UTF8.self)
                guard inURL else { return value }
                return value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?&#="))) ?? ""
            }
            if parts[0] == "env", environment.contains(parts[1]) { return ProcessInfo.processInfo.environment[parts[1]] ?? "" }
            return ""
        }
    }

    private func filled(_ value: JSONValue, _ arguments: [String: JSONValue]) -> JSONValue {
        switch value {
        case .string(let text):
            // A value that is exactly one argument keeps the argument's JSON type.
            let placeholders = CustomToolRules.placeholders(in: text)
            if placeholders.count == 1, text.trimmingCharacters(in: .whitespaces).hasPrefix("{{"),
                text.trimmingCharacters(in: .whitespaces).hasSuffix("}}"), placeholders[0].hasPrefix("args."),
                let argument = arguments[String(placeholders[0].dropFirst(5))]
            {
                return argument
            }
            return .string(fill(text, arguments, inURL: false))
        case .array(let items): return .array(items.map { filled($0, arguments) })
        case .object(let members): return .object(members.mapValues { filled($0, arguments) })
        default: return value
        }
    }
}
