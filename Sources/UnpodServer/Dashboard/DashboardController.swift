import Foundation
import HTTPTypes
import Hummingbird
import Logging
import UnpodCore
import UnpodPersistence

/// The dashboard (issue 8): server-rendered pages under `/dashboard/`, on the API's port.
///
/// A signed-in user's session lives in the database (``SQLStore/dashboardSession(token:)``), so it
/// survives a restart and a sign-out ends it on every node. Every form carries the session's CSRF
/// token. Keys, members and the audit log go through the same store functions and rules as the API.
struct DashboardController {
    static let sessionCookie = "unpod_session"
    static let sessionLifetime: TimeInterval = 12 * 3600

    let store: SQLStore
    let clock: any WallClock
    let addresses: ClientAddressResolver
    let pages: DashboardPages
    let signIn: SignInGuard
    /// `UNPOD_PUBLIC_URL` is https: cookies are `Secure` whatever the request came over.
    let publicURLIsHTTPS: Bool
    /// Clears this node's auth cache after a key or membership change, so the API sees it at once.
    let authChanged: @Sendable () -> Void
    /// Live calls, for the test-call page.
    let calls: CallHub
    /// `UNPOD_PUBLIC_URL`, for where the test-call page's socket connects.
    let publicURL: String?
    /// How webhook endpoints' URLs are checked (the API's rules).
    let webhookRules: WebhookEndpointRules

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/dashboard/"]) }
        let dashboard = router.group("dashboard").add(middleware: DashboardMiddleware(pages: pages))
        dashboard.get("/", use: home)
        dashboard.get("assets/app.css") { _, _ in DashboardAssets.response(DashboardAssets.css, type: "text/css; charset=utf-8") }
        dashboard.get("assets/app.js") { _, _ in
            DashboardAssets.response(DashboardAssets.javascript, type: "text/javascript; charset=utf-8")
        }
        dashboard.get("sign-in", use: signInPage)
        dashboard.post("sign-in", use: signInSubmit)
        dashboard.post("sign-out", use: signOut)
        dashboard.get("hub", use: hub)
        dashboard.get("password", use: passwordPage)
        dashboard.post("password", use: passwordSubmit)
        dashboard.get("api-keys", use: keysPage)
        dashboard.post("api-keys", use: generateKey)
        dashboard.post("api-keys/:key_id/delete", use: deleteKey)
        dashboard.post("api-keys/:key_id/rotate", use: rotateKey)
        dashboard.get("settings", use: settingsPage)
        dashboard.post("settings/members", use: addMember)
        dashboard.post("settings/members/:user_id/role", use: changeRole)
        dashboard.post("settings/members/:user_id/remove", use: removeMember)
        dashboard.get("security-log", use: securityLog)
        dashboard.get("bridges", use: bridges)
        dashboard.get("numbers", use: numbers)
        dashboard.get("trunks", use: trunks)
        dashboard.get("call-logs", use: callLogs)
        dashboard.get("calls", use: callsPage)
        dashboard.get("calls/:call_id", use: callPage)
        dashboard.post("agents/:handle/test-call", use: startTestCall)
        dashboard.get("spaces", use: spacesPage)
        dashboard.post("spaces", use: createSpace)
        dashboard.post("spaces/:token/edit", use: editSpace)
        dashboard.post("spaces/:token/archive", use: archiveSpace)
        dashboard.get("agents", use: agentsPage)
        dashboard.post("agents", use: createAgent)
        dashboard.post("agents/:handle/edit", use: editAgent)
        dashboard.post("agents/:handle/publish", use: publishAgent)
        dashboard.post("agents/:handle/archive", use: archiveAgent)
        dashboard.get("runs", use: runsPage)
        dashboard.get("analytics", use: analyticsPage)
        dashboard.get("invoices", use: invoicesPage)
        dashboard.get("webhooks", use: webhooksPage)
        dashboard.post("webhooks", use: createWebhook)
        dashboard.get("webhooks/:endpoint_id", use: webhookPage)
        dashboard.post("webhooks/:endpoint_id/rotate", use: rotateWebhook)
        dashboard.post("webhooks/:endpoint_id/toggle", use: toggleWebhook)
        dashboard.post("webhooks/:endpoint_id/delete", use: deleteWebhook)
        dashboard.post("webhooks/:endpoint_id/replay", use: replayWebhooks)
        dashboard.post("webhooks/:endpoint_id/messages/:message_id/resend", use: resendWebhook)
    }

    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let signedIn = try await session(request) != nil
        return Response(status: .seeOther, headers: [.location: signedIn ? "/dashboard/hub" : "/dashboard/sign-in"])
    }

    @Sendable func hub(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        let content = HubContent(
            organizations: visit.memberships.map {
                HubContent.Organization(
                    name: $0.organization.name, handle: $0.organization.domainHandle, role: $0.role.rawValue,
                    current: $0.organization.id == visit.current?.organization.id, link: "/dashboard/hub?org=\($0.organization.domainHandle)")
            },
            current: visit.current?.organization.domainHandle, keysLink: visit.link("api-keys"),
            settingsLink: visit.link("settings"), serverURL: Self.serverURL(request),
            hasOrganizations: !visit.memberships.isEmpty)
        return pages.page("hub", content, chrome: visit.chrome("Hub", page: "hub"))
    }

    struct HubContent {
        struct Organization {
            let name: String
            let handle: String
            let role: String
            let current: Bool
            let link: String
        }

        let organizations: [Organization]
        let current: String?
        let keysLink: String
        let settingsLink: String
        let serverURL: String
        let hasOrganizations: Bool
    }

    // MARK: Sessions

    /// The signed-in user's visit, or a redirect to the sign-in page. The organization is the
    /// `org` query parameter's (or the form's), else the user's first.
    func visit(_ request: Request, context: AppRequestContext, form: FormFields? = nil) async throws -> DashboardVisit {
        guard let (token, session) = try await session(request) else { throw DashboardError.redirect("/dashboard/sign-in") }
        let memberships = try await store.memberships(userID: session.user.id)
        let wanted = form?["org"] ?? request.uri.queryParameters["org"].map(String.init)
        var current = memberships.first
        if let wanted, !wanted.isEmpty {
            guard let membership = memberships.first(where: { $0.organization.domainHandle == wanted }) else {
                throw DashboardError.forbidden("You are not a member of the organization \(wanted).")
            }
            current = membership
        }
        if let form {
            // Every form carries the session's CSRF token; compared in constant time.
            guard let sent = form["csrf"], ConstantTime.equal(sent, session.csrfToken) else {
                throw DashboardError.forbidden("This form has expired or did not come from this dashboard. Reload the page and try again.")
            }
        }
        return DashboardVisit(
            token: token, session: session, memberships: memberships, current: current,
            actor: .dashboard(
                userID: session.user.id, email: session.user.email,
                clientAddress: addresses.address(peer: context.channel.remoteAddress, forwardedFor: request.headers[.xForwardedFor]),
                requestID: context.requestID))
    }

    /// A form post: the visit, with the form read and its CSRF token checked.
    func formVisit(_ request: Request, context: AppRequestContext) async throws -> (DashboardVisit, FormFields) {
        let form = try await FormFields.read(request, context: context)
        return (try await visit(request, context: context, form: form), form)
    }

    func session(_ request: Request) async throws -> (String, DashboardSession)? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty,
            let session = try await store.dashboardSession(token: token)
        else { return nil }
        return (token, session)
    }

    /// Cookies are `Secure` when the public URL is https or the request came over TLS (through a trusted proxy).
    func secureCookies(_ request: Request, context: AppRequestContext) -> Bool {
        publicURLIsHTTPS
            || addresses.cameOverTLS(peer: context.channel.remoteAddress, forwardedProto: request.headers[.xForwardedProto])
    }

    /// Where this server was reached, for the first call the Hub suggests.
    static func serverURL(_ request: Request) -> String {
        let host = request.head.authority ?? "localhost:8000"
        return "http://\(host)"
    }

    /// A 303 back to a page, with a fixed notice (never text from the request).
    static func redirect(_ location: String, notice: DashboardNotice) -> Response {
        let separator = location.contains("?") ? "&" : "?"
        return Response(status: .seeOther, headers: [.location: "\(location)\(separator)notice=\(notice.rawValue)"])
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
