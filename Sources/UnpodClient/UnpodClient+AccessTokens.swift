import Foundation
import UnpodAPI
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
    /// The request is LiveKit's token-source request (`room_name`, `participant_identity`, …) with
    /// `grants` and `ttl` (`.case1(seconds)` or `.case2("10m")`).
    public func mintAccessToken(_ request: Components.Schemas.AccessTokenRequest) async throws
        -> Components.Schemas.AccessTokenResponse
    {
        try await call { try await api.mintAccessToken(headers: .init(orgHandle: orgHandle ?? ""), body: .json(request)).ok.body.json.data }
    }
}
