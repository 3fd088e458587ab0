import Foundation
import Hummingbird
import Logging
import UnpodCore
import UnpodPersistence

/// The API Keys page: the user's keys, "Generate New API Key" (the token shown once), delete and rotate.
extension DashboardController {
    struct KeysContent {
        struct Row {
            let name: String
            let keyID: String
            let scopes: String
            let organization: String
            let created: String
            let lastUsed: String
            let expires: String
            let state: String
            let stateClass: String
            let deleteAction: String
            let rotateAction: String
        }

        /// A token just made (by Generate or Rotate): on this page once, never again.
        struct NewToken {
            let keyID: String
            let token: String
            let note: String?
        }

        let csrf: String
        let org: String
        let rows: [Row]
        let organizations: [Choice]
        let expiries: [Choice]
        let graces: [Choice]
        let newToken: NewToken?
        let error: String?
        let notice: String?
        let hasRows: Bool
    }

    static let expiryChoices: [(String, String, TimeInterval?)] = [
        ("never", "Never", nil), ("7d", "In 7 days", 7 * 86_400), ("30d", "In 30 days", 30 * 86_400),
        ("90d", "In 90 days", 90 * 86_400), ("365d", "In a year", 365 * 86_400),
    ]
    static let graceChoices: [(String, String, TimeInterval)] = [
        ("0", "No grace: stop the old key now", 0), ("3600", "1 hour", 3600), ("86400", "24 hours", 86_400),
        ("604800", "7 days", 604_800),
    ]

    @Sendable func keysPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        return try await keysPage(visit, notice: DashboardNotice.text(in: request.uri.queryParameters["notice"].map(String.init)))
    }

    @Sendable func generateKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        guard let expiry = Self.expiryChoices.first(where: { $0.0 == (form["expires"] ?? "never") }) else {
            return try await keysPage(visit, error: "Pick an expiry from the list.", status: .badRequest)
        }
        var scopes: [Scope] = []
        for word in form.all("scope") {
            guard let scope = Scope(rawValue: word) else { throw DashboardError.badRequest("\(word) is not a scope.") }
            scopes.append(scope)
        }
        let restriction = form["restrict_org"].flatMap { $0.isEmpty ? nil : $0 }
        let body = CreateAPIKeyRequest(
            name: form["name"], scopes: scopes, orgHandle: restriction,
            expiresIn: expiry.2.map { DurationValue(seconds: $0) })
        do {
            let key = try KeyGrantor(signedInUserWith: visit.memberships).newKey(body, now: clock.now())
            let created = try await store.createAPIKey(
                userID: visit.user.id, name: key.name, scopes: key.scopes, organization: key.organization,
                expiresAt: key.expiresAt, actor: visit.actor)
            context.logger.info("API key created on the dashboard", metadata: ["key_id": "\(created.keyId)"])
            return try await keysPage(visit, newToken: .init(keyID: created.keyId, token: created.token, note: nil))
        } catch let error as APIError {
            return try await keysPage(visit, error: error.errors ?? error.message, status: .badRequest)
        }
    }

    @Sendable func deleteKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        let keyID = try Self.keyID(context)
        try await store.revokeAPIKey(keyID, of: .user(visit.user.id), actor: visit.actor)
        authChanged()
        context.logger.info("API key revoked on the dashboard", metadata: ["key_id": "\(keyID)"])
        return Self.redirect(visit.link("api-keys"), notice: .keyDeleted)
    }

    @Sendable func rotateKey(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        let keyID = try Self.keyID(context)
        guard let grace = Self.graceChoices.first(where: { $0.0 == (form["grace"] ?? "86400") })?.2 else {
            throw DashboardError.badRequest("Pick a grace period from the list.")
        }
        let created = try await store.rotateAPIKey(keyID, of: .user(visit.user.id), grace: grace, expiresIn: nil, actor: visit.actor)
        authChanged()
        let note = grace == 0 ? nil : created.previousKeyGraceUntil.map { "The old key \(keyID) keeps working until \(DashboardFormat.date($0))." }
        return try await keysPage(
            visit,
            newToken: .init(keyID: created.keyId, token: created.token, note: note ?? "The old key \(keyID) has stopped working."))
    }

    private func keysPage(
        _ visit: DashboardVisit, newToken: KeysContent.NewToken? = nil, error: String? = nil, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let keys = try await store.apiKeys(of: .user(visit.user.id))
        let now = clock.now()
        let rows = keys.map { key in
            let (state, stateClass): (String, String) =
                switch key.status {
                case .active: ("active", "ok")
                case .rotated: ("in grace until \(key.graceUntil.map(DashboardFormat.date) ?? "")", "warn")
                case .expired: ("expired", "bad")
                }
            return KeysContent.Row(
                name: key.name, keyID: key.keyId, scopes: key.scopes.map(\.rawValue).joined(separator: ", "),
                organization: key.orgHandle ?? "all your organizations", created: DashboardFormat.date(key.createdAt),
                lastUsed: key.lastUsedAt.map(DashboardFormat.date) ?? "never",
                expires: key.expiresAt.map { ($0 <= now ? "expired " : "") + DashboardFormat.date($0) } ?? "never",
                state: state, stateClass: stateClass, deleteAction: "/dashboard/api-keys/\(key.keyId)/delete",
                rotateAction: "/dashboard/api-keys/\(key.keyId)/rotate")
        }
        let content = KeysContent(
            csrf: visit.session.csrfToken, org: visit.current?.organization.domainHandle ?? "", rows: rows,
            organizations: [.init(value: "", label: "All my organizations", selected: true)]
                + visit.memberships.map {
                    .init(value: $0.organization.domainHandle, label: "Only \($0.organization.domainHandle)", selected: false)
                },
            expiries: Self.expiryChoices.map { .init(value: $0.0, label: $0.1, selected: $0.0 == "never") },
            graces: Self.graceChoices.map { .init(value: $0.0, label: $0.1, selected: $0.0 == "86400") },
            newToken: newToken, error: error, notice: notice, hasRows: !rows.isEmpty)
        return pages.page("api-keys", content, chrome: visit.chrome("API Keys", page: "api-keys"), status: status)
    }

    private static func keyID(_ context: AppRequestContext) throws -> String {
        let keyID = try context.parameters.require("key_id")
        guard APIKeyToken.isWellFormedKeyID(keyID) else { throw DashboardError.notFound("API key not found.") }
        return keyID
    }
}

/// How the dashboard writes dates: UTC, to the minute.
enum DashboardFormat {
    static func date(_ date: Date) -> String {
        let parts = Calendar.utc.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d UTC", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
