import HTTPTypes
import Hummingbird
import Logging
import OpenAPIRuntime
import UnpodCore

/// Authentication and tenancy for every operation of the generated server, keyed by operation id
/// (``OperationAccess``): a handler runs only after this admitted its caller, and an operation
/// missing from the table is refused, so no handler can forget the check.
///
/// It also drops the organization's cached lists on this node after a write there, whatever the
/// outcome (a failed write may have committed part of its work), and announces a rotated key's
/// deprecation on the answer, as ``AuthGuard`` does for the hand-registered routes.
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
        var answer: (HTTPResponse, HTTPBody?)
        if let orgID = admitted.membership?.organization.id, request.method != .get, request.method != .head {
            defer { check.lists.invalidate(orgID: orgID) }
            answer = try await APIRequestScope.run(with: admitted) { try await next(request, body, metadata) }
        } else {
            answer = try await APIRequestScope.run(with: admitted) { try await next(request, body, metadata) }
        }
        check.announceRotation(of: caller, in: &answer.0.headerFields)
        return answer
    }
}
