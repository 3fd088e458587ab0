import Foundation
import UnpodCore

/// The tools a server-run brain offers its model (issue 18, item 3): `end_call` always, `transfer`
/// when attached, and the agent's custom HTTP tools, as OpenAI function specs; and the running of
/// each call the model makes.
struct Toolbox: Sendable {
    var custom: [String: CustomTool]
    var transfer: Bool
    var caller: CustomToolCaller

    static let maxRounds = 5

    /// The `tools` of a chat request.
    var specs: [JSONValue] {
        var specs: [JSONValue] = []
        for builtin in BuiltinTools.all where builtin.availability == "always" || (builtin.name == "transfer" && transfer) {
            specs.append(Self.function(builtin.name, builtin.description, builtin.parameters))
        }
        for tool in custom.values.sorted(by: { $0.toolID < $1.toolID }) {
            var properties: [String: JSONValue] = [:]
            var required: [JSONValue] = []
            for (name, spec) in tool.args.sorted(by: { $0.key < $1.key }) {
                var property: [String: JSONValue] = ["type": .string(spec["type"]?.stringValue ?? "string")]
                if let description = spec["description"]?.stringValue { property["description"] = .string(description) }
                properties[name] = .object(property)
                if spec["required"] == .bool(true) { required.append(.string(name)) }
            }
            specs.append(
                Self.function(
                    tool.toolID, tool.description,
                    .object(["type": .string("object"), "properties": .object(properties), "required": .array(required)])))
        }
        return specs
    }

    static func function(_ name: String, _ description: String, _ parameters: JSONValue) -> JSONValue {
        .object([
            "type": .string("function"),
            "function": .object(["name": .string(name), "description": .string(description), "parameters": parameters]),
        ])
    }

    /// Runs one call; a failure is told to the model as the tool's result, never thrown.
    func run(_ call: ToolCall) async -> ToolOutcome {
        let arguments: [String: JSONValue]
        if call.arguments.trimmingCharacters(in: .whitespaces).isEmpty {
            arguments = [:]
        } else if case .object(let members)? = try? JSONDecoder().decode(JSONValue.self, from: Data(call.arguments.utf8)) {
            arguments = members
        } else {
            return ToolOutcome(result: "error: the arguments are not a JSON object")
        }
        switch call.name {
        case "end_call":
            return ToolOutcome(result: "the call will end after this reply", effect: .endCall)
        case "transfer" where transfer:
            guard let target = arguments["target"]?.stringValue, !target.isEmpty else { return ToolOutcome(result: "error: target is required") }
            let type = arguments["transfer_type"]?.stringValue ?? (PhoneNumber.isE164(target) ? "number" : "agent")
            return ToolOutcome(result: "the caller side was asked to transfer the call to \(target)", effect: .transfer(type: type, target: target))
        default:
            guard let tool = custom[call.name] else { return ToolOutcome(result: "error: there is no tool named \(call.name)") }
            return ToolOutcome(result: await caller.call(tool, arguments: arguments))
        }
    }
}
