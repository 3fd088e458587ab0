import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Tools on the management plane (issue 18), as the SDK's `client.tools` sends them: the catalog,
/// custom HTTP tools (create or replace by id, checked on write), and which agent has which tool.
/// The SDK reads tools into plain dataclasses, so every answer has exactly the keys they declare.
extension APIHandlers {
    func listTools(_ input: Operations.ListTools.Input) async throws -> Operations.ListTools.Output {
        let builtin = BuiltinTools.all.map {
            Components.Schemas.BuiltinTool(
                name: $0.name, description: $0.description, availability: $0.availability == "always" ? .always : .optIn,
                configKey: .init($0.configKey), parameters: $0.parameters)
        }
        let example: JSONValue = .object([
            "url": .string("https://api.example.com/orders/{{ args.order_id }}"), "method": .string("GET"),
            "headers": .object(["Authorization": .string("Bearer {{ env.ORDERS_TOKEN }}")]),
            "args": .object(["order_id": .object(["type": .string("string"), "description": .string("The order's id"), "required": .bool(true)])]),
            "timeout": .number(5),
        ])
        let custom = Components.Schemas.CustomToolSupport(
            supported: true, configKey: "custom", argTypes: CustomToolRules.argTypes, methods: CustomToolRules.methods,
            defaultTimeoutS: CustomToolRules.defaultTimeout, maxTimeoutS: CustomToolRules.maxTimeout,
            notes: [
                "{{ args.NAME }} is an argument the model supplied; {{ env.NAME }} a server environment variable the operator lists in UNPOD_TOOL_ENV.",
                "Credentials belong in the environment: a header that holds one literally is refused.",
                "Private, loopback and link-local URLs are refused unless the operator allows them.",
            ],
            example: example)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Tools fetched.", data: .init(builtin: builtin, custom: custom)))))
    }

    func listCustomTools(_ input: Operations.ListCustomTools.Input) async throws -> Operations.ListCustomTools.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let tools = try await store.customTools(orgID: organization.id)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Custom tools fetched.", data: tools.map(Components.Schemas.CustomTool.init), count: tools.count))))
    }

    func putCustomTool(_ input: Operations.PutCustomTool.Input) async throws -> Operations.PutCustomTool.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let tool = try customTools.tool(input.path.toolId, body)
        let saved = try await store.saveCustomTool(orgID: organization.id, tool, actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Custom tool saved.", data: .init(saved)))))
    }

    func deleteCustomTool(_ input: Operations.DeleteCustomTool.Input) async throws -> Operations.DeleteCustomTool.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        try await store.deleteCustomTool(orgID: organization.id, toolID: input.path.toolId, actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Custom tool deleted.", data: .init(toolId: input.path.toolId, deleted: true)))))
    }

    func attachTool(_ input: Operations.AttachTool.Input) async throws -> Operations.AttachTool.Output {
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let attachment = try await setTool(true, input.path.toolId, agentHandle: body.agentId)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Tool attached.", data: attachment))))
    }

    func detachTool(_ input: Operations.DetachTool.Input) async throws -> Operations.DetachTool.Output {
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let attachment = try await setTool(false, input.path.toolId, agentHandle: body.agentId)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Tool detached.", data: attachment))))
    }

    private func setTool(_ attached: Bool, _ toolID: String, agentHandle: String) async throws -> Components.Schemas.ToolAttachment {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let agent = try await store.agent(handle: agentHandle), agent.orgID == organization.id else { throw APIError.notFound("Agent not found.") }
        let kind: Components.Schemas.ToolAttachment.KindPayload
        if let builtin = BuiltinTools.named(toolID) {
            kind = .builtin
            // An always-on built-in needs no attaching, and cannot be taken away.
            if builtin.availability == "always" {
                guard attached else { throw APIError.conflict("\(toolID) is always available to every agent; it cannot be detached.") }
                return .init(toolId: toolID, agentId: agentHandle, kind: kind, attached: true)
            }
        } else {
            guard try await store.customTool(orgID: organization.id, toolID: toolID) != nil else { throw APIError.notFound("Tool not found.") }
            kind = .custom
        }
        try await store.setAgentTool(attached, tool: toolID, agent: agent, actor: try auditActor())
        return .init(toolId: toolID, agentId: agentHandle, kind: kind, attached: attached)
    }
}

extension Components.Schemas.CustomTool {
    init(_ tool: CustomTool) {
        self.init(
            toolId: tool.toolID, description: tool.description, method: tool.method, url: tool.url, headers: .init(additionalProperties: tool.headers),
            body: tool.body, args: .object(tool.args), timeout: .init(tool.timeout), agentIds: tool.agentHandles)
    }
}
