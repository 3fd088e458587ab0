import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Analytics blocks (issue 18): what the SDK's `client.analytics` sends to define what is
/// extracted from each finished call. Definitions are checked in Core (422 with what is wrong).
extension APIHandlers {
    func listAnalyticsBlocks(_ input: Operations.ListAnalyticsBlocks.Input) async throws -> Operations.ListAnalyticsBlocks.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let blocks = try await store.analyticsBlocks(orgID: organization.id, includeArchived: input.query.includeArchived ?? false)
        return .ok(
            .init(body: .json(.init(statusCode: ._200, message: "Analytics blocks fetched.", data: blocks.map(Components.Schemas.AnalyticsBlock.init), count: blocks.count))))
    }

    func createAnalyticsBlock(_ input: Operations.CreateAnalyticsBlock.Input) async throws -> Operations.CreateAnalyticsBlock.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body, case .object(let members) = body else {
            throw APIError.invalidParameters("the body must be a JSON object")
        }
        var template: AnalyticsBlockDefinition?
        if let id = input.query.fromTemplate {
            guard let found = AnalyticsTemplates.named(id) else { throw APIError.notFound("Analytics template not found.") }
            template = found.definition
        }
        let definition = try AnalyticsBlockDefinition.creating(members, from: template)
        let block = try await store.createAnalyticsBlock(orgID: organization.id, definition, actor: try auditActor())
        return .created(.init(body: .json(.init(statusCode: ._201, message: "Analytics block created.", data: .init(block)))))
    }

    func listAnalyticsTemplates(_ input: Operations.ListAnalyticsTemplates.Input) async throws -> Operations.ListAnalyticsTemplates.Output {
        let templates = AnalyticsTemplates.all.map(Components.Schemas.AnalyticsTemplate.init)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Analytics templates fetched.", data: templates, count: templates.count))))
    }

    func getAnalyticsBlock(_ input: Operations.GetAnalyticsBlock.Input) async throws -> Operations.GetAnalyticsBlock.Output {
        let block = try await analyticsBlock(input.path.blockId)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Analytics block fetched.", data: .init(block)))))
    }

    func updateAnalyticsBlock(_ input: Operations.UpdateAnalyticsBlock.Input) async throws -> Operations.UpdateAnalyticsBlock.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body, case .object(let members) = body else {
            throw APIError.invalidParameters("the body must be a JSON object")
        }
        let block = try await store.updateAnalyticsBlock(orgID: organization.id, blockID: input.path.blockId, actor: try auditActor()) {
            try $0.apply(members)
        }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Analytics block updated.", data: .init(block)))))
    }

    func deleteAnalyticsBlock(_ input: Operations.DeleteAnalyticsBlock.Input) async throws -> Operations.DeleteAnalyticsBlock.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        try await store.archiveAnalyticsBlock(orgID: organization.id, blockID: input.path.blockId, actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Analytics block archived.", data: .init(blockId: input.path.blockId, state: .archived)))))
    }

    func attachAnalyticsBlock(_ input: Operations.AttachAnalyticsBlock.Input) async throws -> Operations.AttachAnalyticsBlock.Output {
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        let block = try await setAttached(true, blockID: input.path.blockId, agentHandle: body.agentId)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Analytics block attached.", data: .init(block)))))
    }

    func detachAnalyticsBlock(_ input: Operations.DetachAnalyticsBlock.Input) async throws -> Operations.DetachAnalyticsBlock.Output {
        let block = try await setAttached(false, blockID: input.path.blockId, agentHandle: input.path.agentId)
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Analytics block detached.", data: .init(block)))))
    }

    /// A block of the caller's organization, archived ones included (their results stay readable).
    func analyticsBlock(_ blockID: String) async throws -> AnalyticsBlock {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let block = try await store.analyticsBlock(orgID: organization.id, blockID: blockID) else {
            throw APIError.notFound("Analytics block not found.")
        }
        return block
    }

    private func setAttached(_ attached: Bool, blockID: String, agentHandle: String) async throws -> AnalyticsBlock {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let agent = try await store.agent(handle: agentHandle), agent.orgID == organization.id else {
            throw APIError.notFound("Agent not found.")
        }
        try await store.setAnalyticsBlockAttached(attached, orgID: organization.id, blockID: blockID, agent: agent, actor: try auditActor())
        return try await analyticsBlock(blockID)
    }
}

extension Components.Schemas.AnalyticsFieldSpec {
    init(_ field: AnalyticsField) {
        self.init(name: field.name, _type: .init(rawValue: field.type.rawValue) ?? .str, description: field.description, choices: field.choices)
    }
}

extension Components.Schemas.AnalyticsBlock {
    init(_ block: AnalyticsBlock) {
        let definition = block.definition
        self.init(
            blockId: block.blockID, name: definition.name, prompt: definition.prompt, fields: definition.fields.map(Components.Schemas.AnalyticsFieldSpec.init),
            summaryDescription: .init(definition.summaryDescription), model: .init(definition.model), projectId: block.orgHandle,
            orgId: block.orgHandle, successEnabled: definition.successEnabled, successDescription: .init(definition.successDescription),
            successType: .init(rawValue: definition.successType) ?? .bool, successChoices: .init(definition.successChoices),
            condition: definition.condition ?? .null, templateId: .init(definition.templateID), version: block.version,
            state: block.state == .active ? .active : .archived, agentIds: block.agentHandles, created: block.created, modified: block.modified)
    }
}

extension Components.Schemas.AnalyticsTemplate {
    init(_ template: AnalyticsTemplates.Template) {
        let definition = template.definition
        self.init(
            templateId: template.id, name: definition.name, description: template.description, prompt: definition.prompt,
            fields: definition.fields.map(Components.Schemas.AnalyticsFieldSpec.init), summaryDescription: .init(definition.summaryDescription),
            successEnabled: definition.successEnabled, successDescription: .init(definition.successDescription),
            successType: definition.successType, successChoices: .init(definition.successChoices))
    }
}
