import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime
import UnpodCore

/// Authentication and tenancy for every operation of the generated server, keyed by operation id
/// (``OperationAccess``): a handler runs only after this admitted its caller, and an operation
/// missing from the table is refused, so no handler can forget the check.
///
/// Around the operation it drops the organization's cached lists after a write there, and
/// announces a rotated key's deprecation on the answer.
struct AccessMiddleware: ServerMiddleware {
    let check: AuthGuard

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let box = APIRequestScope.box else { throw APIError.internalError }
        let context = box.context
        guard let policy = OperationAccess.policy(for: operationID) else {
            context.logger.error("operation without an access policy", metadata: ["operation": "\(operationID)"])
            throw APIError.permissionDenied
        }
        let admitted = try await check.admit(
            headers: request.headerFields, method: request.method, policy: policy, context: context,
            client: { check.clientAddress(request.headerFields, context) })
        let caller = try admitted.requireCaller()
        // An organization taken from a Bearer key's restriction is the request's Org-Handle from
        // here on (the operations declare the header).
        var request = request
        if let membership = admitted.membership, request.headerFields[.orgHandle] == nil {
            request.headerFields[.orgHandle] = membership.organization.domainHandle
        }
        let forwarded = request
        var answer = try await check.droppingListsAfterWrites(admitted, method: request.method) {
            try await APIRequestScope.run(with: admitted, head: box.head) { try await next(forwarded, body, metadata) }
        }
        check.announceRotation(of: caller, in: &answer.0.headerFields)
        return answer
    }
}
