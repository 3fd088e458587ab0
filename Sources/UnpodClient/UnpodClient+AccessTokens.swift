import Foundation
import UnpodCore

/// Access tokens (issue 7): minted by the server (`POST /tokens/`) or offline with
/// ``AccessTokenBuilder`` from a key id and its token, which needs no server at all:
///
/// ```swift
/// let token = try await AccessTokenBuilder(
///     keyID: keyID, secret: apiToken, identity: "agent-7", video: VideoGrant(roomJoin: true, room: "support")
/// ).build()
/// ```
extension UnpodClient {
    public func mintAccessToken(_ request: AccessTokenRequest) async throws -> AccessTokenResponse {
        try await send("POST", "tokens/", body: request, as: ObjectEnvelope<AccessTokenResponse>.self).data
    }
}
