import Foundation
import Hummingbird
import Logging
import UnpodCore
import UnpodPersistence

/// Sign in, sign out, change password.
extension DashboardController {
    /// Before a session exists, the sign-in form's CSRF token is a random value in its own
    /// cookie, which the form must repeat (so another site cannot sign a victim in to its account).
    static let signInCookie = "unpod_sign_in"

    struct SignInContent {
        let csrf: String
        let email: String
        let error: String?
        let notice: String?
    }

    @Sendable func signInPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        if try await session(request) != nil { throw DashboardError.redirect("/dashboard/hub") }
        return signInForm(
            request, context: context, email: "", error: nil,
            notice: DashboardNotice.text(in: request.uri.queryParameters["notice"].map(String.init)))
    }

    @Sendable func signInSubmit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await FormFields.read(request, context: context)
        guard let expected = request.cookies[Self.signInCookie]?.value, let sent = form["csrf"],
            ConstantTime.equal(sent, expected)
        else {
            throw DashboardError.forbidden("The sign-in form has expired. Reload the page and try again.")
        }
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let address = addresses.address(peer: context.channel.remoteAddress, forwardedFor: request.headers[.xForwardedFor])
        try await signIn.admit(email: email, address: address, at: clock.now())

        let candidate = email.isEmpty || password.isEmpty ? nil : try await store.passwordHash(email: email)
        let matches = try await signIn.verify(password, hash: candidate?.hash)
        guard matches, let user = candidate?.user, user.isActive else {
            try await signIn.recordFailure(email: email, address: address, at: clock.now())
            context.logger.info("dashboard sign-in refused", metadata: ["address": "\(address)"])
            return signInForm(request, context: context, email: email, error: SignInGuard.refusal, status: .unauthorized)
        }
        let actor = AuditActor.dashboard(userID: user.id, email: user.email, clientAddress: address, requestID: context.requestID)
        let (token, _) = try await store.startDashboardSession(user: user, lifetime: Self.sessionLifetime, actor: actor)
        var response = Response(status: .seeOther, headers: [.location: "/dashboard/hub"])
        response.setCookie(sessionCookie(token, request: request, context: context, maxAge: Int(Self.sessionLifetime)))
        response.setCookie(expired(Self.signInCookie, path: "/dashboard/sign-in", request: request, context: context))
        return response
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, _) = try await formVisit(request, context: context)
        try await store.endDashboardSession(token: visit.token, user: visit.user, actor: visit.actor)
        var response = Self.redirect("/dashboard/sign-in", notice: .signedOut)
        response.setCookie(expired(Self.sessionCookie, path: "/dashboard", request: request, context: context))
        return response
    }

    struct PasswordContent {
        let csrf: String
        let error: String?
    }

    @Sendable func passwordPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let visit = try await visit(request, context: context)
        return pages.page(
            "password", PasswordContent(csrf: visit.session.csrfToken, error: nil),
            chrome: visit.chrome(
                "Change password", page: "password",
                notice: DashboardNotice.text(in: request.uri.queryParameters["notice"].map(String.init))))
    }

    @Sendable func passwordSubmit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (visit, form) = try await formVisit(request, context: context)
        func refuse(_ message: String) -> Response {
            pages.page(
                "password", PasswordContent(csrf: visit.session.csrfToken, error: message),
                chrome: visit.chrome("Change password", page: "password"), status: .badRequest)
        }
        let current = form["current_password"] ?? ""
        let new = form["new_password"] ?? ""
        guard new == form["confirm_password"] else { return refuse("The new password and its confirmation differ.") }
        guard new.count >= 8, new.utf8.count <= 72 else {
            return refuse("A password has at least 8 characters (and at most 72 bytes).")
        }
        let stored = try await store.passwordHash(email: visit.user.email)
        guard try await signIn.verify(current, hash: stored?.hash) else { return refuse("The current password is wrong.") }
        try await store.changePassword(user: visit.user, to: new, keeping: visit.token, actor: visit.actor)
        return Self.redirect(visit.link("password"), notice: .passwordChanged)
    }

    private func signInForm(
        _ request: Request, context: AppRequestContext, email: String, error: String?, notice: String? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        let csrf = request.cookies[Self.signInCookie]?.value ?? Password.random(length: 32)
        var response = pages.page(
            "sign-in", SignInContent(csrf: csrf, email: email, error: error, notice: notice), chrome: Chrome(title: "Sign in"),
            status: status)
        response.setCookie(
            Cookie(
                name: Self.signInCookie, value: csrf, maxAge: 3600, path: "/dashboard/sign-in",
                secure: secureCookies(request, context: context), httpOnly: true, sameSite: .strict))
        return response
    }

    private func sessionCookie(_ token: String, request: Request, context: AppRequestContext, maxAge: Int) -> Cookie {
        Cookie(
            name: Self.sessionCookie, value: token, maxAge: maxAge, path: "/dashboard",
            secure: secureCookies(request, context: context), httpOnly: true, sameSite: .lax)
    }

    private func expired(_ name: String, path: String, request: Request, context: AppRequestContext) -> Cookie {
        Cookie(
            name: name, value: "", maxAge: 0, path: path, secure: secureCookies(request, context: context), httpOnly: true,
            sameSite: .lax)
    }
}
