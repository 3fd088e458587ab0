import Foundation
import UnpodAPI
import UnpodCore

/// A custom tool's checks on write (issue 18, item 3), each a 422 saying what is wrong: an id the
/// model can call that does not shadow a built-in; an http(s) URL not aimed at a private address
/// (unless the operator allows it); templates that name only declared arguments and the
/// environment variables the operator made available; no credential written into a header.
struct CustomToolRules {
    /// Whether private, loopback and link-local destinations are allowed (`--webhooks-allow-private`).
    let allowPrivate: Bool
    /// The environment variables `{{ env.NAME }}` may read (`UNPOD_TOOL_ENV`).
    let environment: Set<String>

    static let argTypes = ["string", "integer", "number", "boolean"]
    static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    static let defaultTimeout = 10.0
    static let maxTimeout = 30.0

    func tool(_ toolID: String, _ input: Components.Schemas.CustomToolInput) throws(ContentError) -> CustomTool {
        guard AnalyticsSpecRules.isFieldName(toolID) else {
            throw ContentError("tool_id must be 1 to 64 letters, digits or underscores, starting with a letter (the model calls it by this name)")
        }
        guard !BuiltinTools.all.contains(where: { $0.name == toolID }) else { throw ContentError("tool_id \(toolID) is a built-in tool's name") }
        var args: [String: JSONValue] = [:]
        for (name, spec) in input.args?.additionalProperties ?? [:] {
            guard AnalyticsSpecRules.isFieldName(name) else { throw ContentError("args.\(name): an argument's name is an identifier") }
            let type = spec["type"]?.stringValue ?? "string"
            guard Self.argTypes.contains(type) else { throw ContentError("args.\(name).type must be one of \(Self.argTypes.joined(separator: ", "))") }
            if let required = spec["required"], case .bool = required {} else if spec["required"] != nil {
                throw ContentError("args.\(name).required must be true or false")
            }
            args[name] = spec
        }
        guard let components = URLComponents(string: Self.blankingTemplates(input.url)), let scheme = components.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = components.host, !host.isEmpty
        else { throw ContentError("url must be an http or https URL") }
        if !allowPrivate, PrivateDestinations.isPrivateHost(host) {
            throw ContentError("url points at a private, loopback or link-local address, which tools may not reach")
        }
        let headers = input.headers?.additionalProperties ?? [:]
        for (name, value) in headers where Self.isCredentialHeader(name) && !value.contains("{{") {
            throw ContentError("headers.\(name) holds a credential: put it in the server's environment and write {{ env.NAME }}")
        }
        let body = input.body ?? .object([:])
        let texts = [input.url] + headers.keys + headers.values + Self.strings(in: body)
        for text in texts { try checkTemplates(text, args: Set(args.keys)) }
        if let timeout = input.timeout, !(timeout > 0 && timeout <= Self.maxTimeout) {
            throw ContentError("timeout must be more than 0 and at most \(Int(Self.maxTimeout)) seconds")
        }
        return CustomTool(
            toolID: toolID, description: input.description ?? "", method: input.method?.rawValue ?? "GET", url: input.url, headers: headers,
            body: body, args: args, timeout: input.timeout)
    }

    /// Every `{{ … }}` must be `args.NAME` of a declared argument or `env.NAME` the operator allows.
    private func checkTemplates(_ text: String, args: Set<String>) throws(ContentError) {
        for placeholder in Self.placeholders(in: text) {
            let parts = placeholder.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ContentError("{{ \(placeholder) }} is not a template this server fills: use args.NAME or env.NAME") }
            switch parts[0] {
            case "args" where args.contains(parts[1]): continue
            case "args": throw ContentError("{{ \(placeholder) }} names an argument that args does not declare")
            case "env" where environment.contains(parts[1]): continue
            case "env": throw ContentError("{{ \(placeholder) }}: the operator has not made \(parts[1]) available to tools (UNPOD_TOOL_ENV)")
            default: throw ContentError("{{ \(placeholder) }} is not a template this server fills: use args.NAME or env.NAME")
            }
        }
    }

    /// The trimmed insides of each `{{ … }}` in `text`.
    static func placeholders(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            found.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// The URL with each template replaced by a plain word, so it parses as it will once filled.
    static func blankingTemplates(_ url: String) -> String {
        replacingTemplates(in: url) { _ in "x" }
    }

    /// `text` with each `{{ … }}` (spaced or not) replaced by what `value` gives for its insides.
    static func replacingTemplates(in text: String, _ value: (String) -> String) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            result += value(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    static func isCredentialHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["authorization", "proxy-authorization", "cookie"].contains(lower) || lower.contains("token") || lower.contains("secret")
            || lower.contains("key") || lower.contains("password")
    }

    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.flatMap(strings(in:))
        case .object(let members): members.keys.map { $0 } + members.values.flatMap(strings(in:))
        default: []
        }
    }
}
