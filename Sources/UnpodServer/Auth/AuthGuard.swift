import Foundation
import HTTPTypes
import Hummingbird
import UnpodCore

/// The one authentication and tenancy check in front of every API operation (``AccessMiddleware``
/// asks it with the operation's policy), in the order of decisions.md section 1:
/// authenticate (401/403) → headers (`Product-ID`, `Org-Handle`: 400) → organization (403) →
/// scope and role (403). Path resources and bodies are the handlers' (404, then 400).
///
/// It also drops an organization's cached lists on this node after any write request in it,
/// whatever the outcome (a failed write may still have committed part of its work, such as a
/// partial attach): here the organization is known, and the handler's transaction has committed
/// when `next` returns. (One check rather than two middlewares: each layer cost the request
/// path an async call and its executor checks.)
struct AuthGuard: Sendable {
    typealias Context = AppRequestContext

    let authenticator: Authenticator
    let products: ProductCatalog
    let addresses: ClientAddressResolver
    let lists: ListCache

    /// Authentication, headers, organization, scope and role, in that order: the context with the
    /// caller (and the organization named by `Org-Handle`) filled in, or the error to answer.
    func admit(
        headers: HTTPFields, method: HTTPRequest.Method, policy: AccessPolicy, context: Context,
        client: () -> String
    ) async throws -> Context {
        let caller: Caller
        do {
            switch try authenticator.authenticateFromCache(authorization: headers.value(.authorization), client: client) {
            case .admitted(let cached): caller = cached
            case .miss(let miss): caller = try await authenticator.authenticate(miss, client: client)
            }
            authenticator.metrics.recordAuthentication("ok")
        } catch let error as APIError {
            authenticator.metrics.recordAuthentication(error.code ?? "error")
            throw error
        }
        var context = context

        if let product = headers.value(.productID) {
            guard products.contains(product) else { throw APIError.invalidProduct }
            context.productID = product
        }

        let isRead = method == .get || method == .head
        switch policy.organization {
        case .notUsed:
            break
        case .required, .optional:
            // The Python client's Bearer mode sends no Org-Handle: a key restricted to one
            // organization names it (sdk-surface.md); an unrestricted key still must.
            guard
                let handle = headers.value(.orgHandle).flatMap({ $0.isEmpty ? nil : $0 })
                    ?? (Self.isBearer(headers.value(.authorization)) ? caller.restrictedHandle : nil)
            else {
                if case .required = policy.organization { throw APIError.orgHandleRequired }
                break
            }
            guard let membership = caller.membership(handle: handle) else { throw APIError.invalidOrganization }
            guard membership.role >= (isRead ? policy.minimumRole : policy.minimumWriteRole) else {
                throw APIError.permissionDenied
            }
            context.membership = membership
        }

        let needed: Scope =
            switch policy.scope {
            case .byMethod: isRead ? .read : .write
            case .always(let scope): scope
            }
        guard caller.scopes.contains(ScopeSet(needed)) else { throw APIError.permissionDenied }

        context.caller = caller
        return context
    }

    /// Runs the handler; after a write in an organization, drops that organization's cached lists
    /// on this node, whatever the outcome (a failed write may still have committed part of its
    /// work, such as a partial attach), once the handler's transaction has committed.
    func droppingListsAfterWrites<Result>(
        _ admitted: Context, method: HTTPRequest.Method, _ handler: () async throws -> Result
    ) async throws -> Result {
        defer {
            if method != .get, method != .head, let orgID = admitted.membership?.organization.id {
                lists.invalidate(orgID: orgID)
            }
        }
        return try await handler()
    }

    static func isBearer(_ authorization: String?) -> Bool {
        guard let authorization else { return false }
        return authorization.utf8.count > 7 && authorization.utf8.prefix(7).elementsEqual("bearer ".utf8) { $0 | 0x20 == $1 | 0x20 }
    }

    /// RFC 9745: a rotated key was deprecated at rotation; RFC 8594: it stops working at the grace's end.
    func announceRotation(of caller: Caller, in headers: inout HTTPFields) {
        guard let rotatedAt = caller.rotatedAt else { return }
        headers[.deprecation] = "@\(Int(rotatedAt.timeIntervalSince1970))"
        if let sunset = caller.expiresAt { headers[.sunset] = HTTPDate.format(sunset) }
    }
}

extension AuthGuard {
    /// The client's address, asked for only when authentication fails or is throttled.
    func clientAddress(_ headers: HTTPFields, _ context: Context) -> String {
        addresses.address(peer: context.channel.remoteAddress, forwardedFor: headers.value(.xForwardedFor))
    }
}

extension HTTPField.Name {
    static let orgHandle = Self("Org-Handle")!
    static let productID = Self("Product-ID")!
    static let deprecation = Self("Deprecation")!
    static let sunset = Self("Sunset")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}
