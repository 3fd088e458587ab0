import Foundation
import Hummingbird
import UnpodCore
import UnpodPersistence

/// The Webhooks pages (issue 18): the organization's endpoints (owners and admins add, rotate,
/// disable or enable, delete; the secret shown once), and one endpoint's messages and attempts,
/// with a message resent and recent undelivered ones replayed. Members read. A store's "not
/// found" becomes the 404 page in DashboardMiddleware.
extension DashboardController {
    struct WebhooksContent {
        struct Row {
            let endpointID: String
            let url: String
            let events: String
            let state: String
            let stateClass: String
            let created: String
            let link: String
            let rotateAction: String
            let toggleAction: String
            let toggleLabel: String
            let deleteAction: String
        }

        struct NewSecret {
            let endpointID: String
            let secret: String
            let note: String?
        }

        let csrf: String
        let org: String
        let rows: [Row]
        let events: [Choice]
        let newSecret: NewSecret?
        let error: String?
        let notice: String?
        let hasRows: Bool
        let canManage: Bool
    }

    struct WebhookContent {
        struct Message {
            let messageID: String
            let eventType: String
            let status: String
            let stateClass: String
            let attempts: Int
            let next: String
            let created: String
            let resendAction: String
        }

        struct Attempt {
            let time: String
            let messageID: String
            let attempt: Int
            let status: String
            let stateClass: String
            let latency: Int
            let detail: String
        }

        let csrf: String
        let org: String
        let endpointID: String
        let url: String
        let events: String
        let state: String
        let stateClass: String
        let replayAction: String
        let ranges: [Choice]
        let messages: [Message]
        let attempts: [Attempt]
        let hasMessages: Bool
        let hasAttempts: Bool
        let canManage: Bool
        let notice: String?
    }

    static let replayRanges: [(String, String)] = [("1", "hour"), ("24", "24 hours"), ("168", "7 days"), ("720", "30 days")]

    @Sendable func webhooksPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        return try await webhooksPage(visit, notice: DashboardNotice.text(in: request.uri.queryParameters["notice"].map(String.init)))
    }

    @Sendable func createWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let url = try form.required("url", label: "The endpoint's URL")
        var events: [WebhookEventType] = []
        for name in form.all("event") {
            guard let event = WebhookEventType(rawValue: name) else { throw DashboardError.badRequest("\(name) is not an event.") }
            events.append(event)
        }
        do {
            try await webhookRules.checkURL(url)
        } catch {
            return try await webhooksPage(visit, error: "The URL cannot be used: \(error.description).", status: .badRequest)
        }
        let (endpoint, secret) = try await store.createWebhookEndpoint(
            orgID: membership.organization.id, url: url, description: form["description"] ?? "", events: events, actor: visit.actor)
        return try await webhooksPage(visit, newSecret: .init(endpointID: endpoint.endpointID, secret: secret.text, note: nil))
    }

    @Sendable func rotateWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let endpointID = try context.parameters.require("endpoint_id")
        let (endpoint, secret) = try await store.rotateWebhookSecret(orgID: membership.organization.id, endpointID: endpointID, actor: visit.actor)
        let note = endpoint.previousSecretUntil.map { "The previous secret also signs until \(DashboardFormat.date($0))." }
        return try await webhooksPage(visit, newSecret: .init(endpointID: endpointID, secret: secret.text, note: note))
    }

    @Sendable func toggleWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let endpointID = try context.parameters.require("endpoint_id")
        guard let endpoint = try await store.webhookEndpoint(orgID: membership.organization.id, endpointID: endpointID) else {
            throw DashboardError.notFound("Webhook endpoint not found.")
        }
        _ = try await store.updateWebhookEndpoint(
            orgID: membership.organization.id, endpointID: endpointID, url: nil, description: nil, events: nil,
            enabled: endpoint.disabledAt != nil, actor: visit.actor)
        return Self.redirect(visit.link("webhooks"), notice: .webhookChanged)
    }

    @Sendable func deleteWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let endpointID = try context.parameters.require("endpoint_id")
        try await store.deleteWebhookEndpoint(orgID: membership.organization.id, endpointID: endpointID, actor: visit.actor)
        return Self.redirect(visit.link("webhooks"), notice: .webhookDeleted)
    }

    @Sendable func resendWebhook(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let endpointID = try context.parameters.require("endpoint_id")
        try await store.resendWebhook(
            orgID: membership.organization.id, endpointID: endpointID, messageID: try context.parameters.require("message_id"), actor: visit.actor)
        return Self.redirect(visit.link("webhooks/\(endpointID)"), notice: .webhookQueued)
    }

    @Sendable func replayWebhooks(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let membership = try requireManager(visit)
        let endpointID = try context.parameters.require("endpoint_id")
        guard let hours = Self.replayRanges.first(where: { $0.0 == form["hours"] }).flatMap({ Double($0.0) }) else {
            throw DashboardError.badRequest("Pick a time range from the list.")
        }
        let now = clock.now()
        _ = try await store.replayWebhooks(
            orgID: membership.organization.id, endpointID: endpointID, since: now.addingTimeInterval(-hours * 3600),
            until: now.addingTimeInterval(0.001), actor: visit.actor)
        return Self.redirect(visit.link("webhooks/\(endpointID)"), notice: .webhookQueued)
    }

    @Sendable func webhookPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let membership = try visit.requireOrganization()
        let endpointID = try context.parameters.require("endpoint_id")
        let orgID = membership.organization.id
        guard let endpoint = try await store.webhookEndpoint(orgID: orgID, endpointID: endpointID),
            let deliveries = try await store.webhookDeliveries(orgID: orgID, endpointID: endpointID, limit: 100),
            let attempts = try await store.webhookAttempts(orgID: orgID, endpointID: endpointID, messageID: nil, limit: 100)
        else { throw DashboardError.notFound("Webhook endpoint not found.") }
        let (state, stateClass) = Self.state(endpoint)
        let messages = deliveries.map { delivery in
            WebhookContent.Message(
                messageID: delivery.messageID, eventType: delivery.eventType, status: delivery.status,
                stateClass: delivery.status == "delivered" ? "ok" : delivery.status == "pending" ? "warn" : "bad", attempts: delivery.attempts,
                next: delivery.nextAttemptAt.map(DashboardFormat.date) ?? "", created: DashboardFormat.date(delivery.created),
                resendAction: "/dashboard/webhooks/\(endpointID)/messages/\(delivery.messageID)/resend")
        }
        let tries = attempts.map { attempt in
            WebhookContent.Attempt(
                time: DashboardFormat.date(attempt.attemptedAt), messageID: attempt.messageID, attempt: attempt.attempt,
                status: attempt.statusCode.map(String.init) ?? "no answer", stateClass: attempt.succeeded ? "ok" : "bad", latency: attempt.latencyMS,
                detail: attempt.error.map { $0 + (attempt.response.isEmpty ? "" : ": " + attempt.response) } ?? attempt.response)
        }
        let content = WebhookContent(
            csrf: visit.session.csrfToken, org: membership.organization.domainHandle, endpointID: endpointID, url: endpoint.url,
            events: Self.events(endpoint), state: state, stateClass: stateClass, replayAction: "/dashboard/webhooks/\(endpointID)/replay",
            ranges: Self.replayRanges.map { .init(value: $0.0, label: $0.1, selected: $0.0 == "24") }, messages: messages, attempts: tries,
            hasMessages: !messages.isEmpty, hasAttempts: !tries.isEmpty, canManage: visit.managesOrganization,
            notice: DashboardNotice.text(in: request.uri.queryParameters["notice"].map(String.init)))
        return pages.page("webhook", content, chrome: visit.chrome("Webhook \(endpointID)", page: "webhooks"))
    }

    private func webhooksPage(
        _ visit: DashboardVisit, newSecret: WebhooksContent.NewSecret? = nil, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let membership = try visit.requireOrganization()
        let endpoints = try await store.webhookEndpoints(orgID: membership.organization.id)
        let rows = endpoints.map { endpoint in
            let (state, stateClass) = Self.state(endpoint)
            let base = "/dashboard/webhooks/\(endpoint.endpointID)"
            return WebhooksContent.Row(
                endpointID: endpoint.endpointID, url: endpoint.url, events: Self.events(endpoint), state: state, stateClass: stateClass,
                created: DashboardFormat.date(endpoint.created), link: visit.link("webhooks/\(endpoint.endpointID)"), rotateAction: base + "/rotate",
                toggleAction: base + "/toggle", toggleLabel: endpoint.disabledAt == nil ? "Disable" : "Enable", deleteAction: base + "/delete")
        }
        let content = WebhooksContent(
            csrf: visit.session.csrfToken, org: membership.organization.domainHandle, rows: rows,
            events: WebhookEventType.allCases.map { .init(value: $0.rawValue, selected: false) }, newSecret: newSecret, error: error,
            notice: notice, hasRows: !rows.isEmpty, canManage: visit.managesOrganization)
        return pages.page("webhooks", content, chrome: visit.chrome("Webhooks", page: "webhooks"), status: status)
    }

    private static func state(_ endpoint: WebhookEndpoint) -> (String, String) {
        guard endpoint.disabledAt != nil else { return ("enabled", "ok") }
        return ("disabled: \(endpoint.disabledReason ?? "")", "bad")
    }

    private static func events(_ endpoint: WebhookEndpoint) -> String {
        endpoint.events.isEmpty ? "every event" : endpoint.events.map(\.rawValue).joined(separator: ", ")
    }
}
