import Foundation
import UnpodAPI
import UnpodCore
import UnpodPersistence

/// Signed webhooks (issue 18): an organization's endpoints, their secrets (shown once, rotated
/// with a day of overlap), what was delivered to each and every attempt, a message resent and a
/// time range replayed. Each write is audited with the change.
extension APIHandlers {
    func listWebhookEndpoints(_ input: Operations.ListWebhookEndpoints.Input) async throws -> Operations.ListWebhookEndpoints.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let endpoints = try await store.webhookEndpoints(orgID: organization.id)
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Webhook endpoints fetched.", data: endpoints.map(Components.Schemas.WebhookEndpoint.init),
                        count: endpoints.count))))
    }

    func createWebhookEndpoint(_ input: Operations.CreateWebhookEndpoint.Input) async throws -> Operations.CreateWebhookEndpoint.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        try await webhooks.checkURL(body.url)
        let (endpoint, secret) = try await store.createWebhookEndpoint(
            orgID: organization.id, url: body.url, description: body.description ?? "", events: body.events ?? [], actor: try auditActor())
        return .created(
            .init(
                body: .json(
                    .init(statusCode: ._201, message: "Webhook endpoint created.", data: .init(endpoint: .init(endpoint), secret: secret.text)))))
    }

    func getWebhookEndpoint(_ input: Operations.GetWebhookEndpoint.Input) async throws -> Operations.GetWebhookEndpoint.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard let endpoint = try await store.webhookEndpoint(orgID: organization.id, endpointID: input.path.endpointId) else {
            throw APIError.notFound("Webhook endpoint not found.")
        }
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Webhook endpoint fetched.", data: .init(endpoint)))))
    }

    func updateWebhookEndpoint(_ input: Operations.UpdateWebhookEndpoint.Input) async throws -> Operations.UpdateWebhookEndpoint.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        if let url = body.url { try await webhooks.checkURL(url) }
        let endpoint = try await store.updateWebhookEndpoint(
            orgID: organization.id, endpointID: input.path.endpointId, url: body.url, description: body.description, events: body.events,
            enabled: body.enabled, actor: try auditActor())
        return .ok(.init(body: .json(.init(statusCode: ._200, message: "Webhook endpoint updated.", data: .init(endpoint)))))
    }

    func deleteWebhookEndpoint(_ input: Operations.DeleteWebhookEndpoint.Input) async throws -> Operations.DeleteWebhookEndpoint.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        try await store.deleteWebhookEndpoint(orgID: organization.id, endpointID: input.path.endpointId, actor: try auditActor())
        return .ok(
            .init(
                body: .json(
                    .init(statusCode: ._200, message: "Webhook endpoint deleted.", data: .init(endpointId: input.path.endpointId, deleted: true)))))
    }

    func rotateWebhookSecret(_ input: Operations.RotateWebhookSecret.Input) async throws -> Operations.RotateWebhookSecret.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        let (endpoint, secret) = try await store.rotateWebhookSecret(orgID: organization.id, endpointID: input.path.endpointId, actor: try auditActor())
        return .ok(
            .init(
                body: .json(.init(statusCode: ._200, message: "Webhook secret rotated.", data: .init(endpoint: .init(endpoint), secret: secret.text)))))
    }

    func listWebhookDeliveries(_ input: Operations.ListWebhookDeliveries.Input) async throws -> Operations.ListWebhookDeliveries.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard
            let deliveries = try await store.webhookDeliveries(
                orgID: organization.id, endpointID: input.path.endpointId, limit: input.query.limit ?? 100)
        else { throw APIError.notFound("Webhook endpoint not found.") }
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Webhook deliveries fetched.", data: deliveries.map(Components.Schemas.WebhookDelivery.init),
                        count: deliveries.count))))
    }

    func listWebhookAttempts(_ input: Operations.ListWebhookAttempts.Input) async throws -> Operations.ListWebhookAttempts.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard
            let attempts = try await store.webhookAttempts(
                orgID: organization.id, endpointID: input.path.endpointId, messageID: input.query.messageId, limit: input.query.limit ?? 100)
        else { throw APIError.notFound("Webhook endpoint not found.") }
        return .ok(
            .init(
                body: .json(
                    .init(
                        statusCode: ._200, message: "Webhook attempts fetched.", data: attempts.map(Components.Schemas.WebhookAttempt.init),
                        count: attempts.count))))
    }

    func resendWebhookMessage(_ input: Operations.ResendWebhookMessage.Input) async throws -> Operations.ResendWebhookMessage.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        try await store.resendWebhook(
            orgID: organization.id, endpointID: input.path.endpointId, messageID: input.path.messageId, actor: try auditActor())
        return .ok(
            .init(body: .json(.init(statusCode: ._200, message: "Webhook message queued.", data: .init(endpointId: input.path.endpointId, queued: 1)))))
    }

    func replayWebhooks(_ input: Operations.ReplayWebhooks.Input) async throws -> Operations.ReplayWebhooks.Output {
        let organization = try APIRequestScope.current().requireMembership().organization
        guard case .json(let body) = input.body else { throw APIError.invalidParameters("the body must be JSON") }
        // Without `until`, everything so far: a message stored this very millisecond included.
        let until = body.until ?? clock.now().addingTimeInterval(0.001)
        guard body.since < until else { throw ContentError("since must be before until") }
        let queued = try await store.replayWebhooks(
            orgID: organization.id, endpointID: input.path.endpointId, since: body.since, until: until, actor: try auditActor())
        return .ok(
            .init(
                body: .json(.init(statusCode: ._200, message: "Webhook messages queued.", data: .init(endpointId: input.path.endpointId, queued: queued)))))
    }
}

extension Components.Schemas.WebhookEndpoint {
    init(_ endpoint: WebhookEndpoint) {
        self.init(
            endpointId: endpoint.endpointID, url: endpoint.url, description: endpoint.description, events: endpoint.events,
            enabled: endpoint.disabledAt == nil, disabledAt: .init(endpoint.disabledAt), disabledReason: .init(endpoint.disabledReason),
            previousSecretUntil: .init(endpoint.previousSecretUntil), created: endpoint.created, modified: endpoint.modified)
    }
}

extension Components.Schemas.WebhookDelivery {
    init(_ delivery: WebhookDelivery) {
        self.init(
            messageId: delivery.messageID, eventType: delivery.eventType, status: .init(rawValue: delivery.status) ?? .pending,
            attempts: delivery.attempts, nextAttemptAt: .init(delivery.nextAttemptAt), deliveredAt: .init(delivery.deliveredAt),
            created: delivery.created)
    }
}

extension Components.Schemas.WebhookAttempt {
    init(_ attempt: WebhookAttempt) {
        self.init(
            messageId: attempt.messageID, eventType: attempt.eventType, attempt: attempt.attempt, attemptedAt: attempt.attemptedAt,
            statusCode: .init(attempt.statusCode), latencyMs: attempt.latencyMS, response: attempt.response, error: .init(attempt.error),
            succeeded: attempt.succeeded)
    }
}
