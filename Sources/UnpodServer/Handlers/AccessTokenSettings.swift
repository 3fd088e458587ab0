import Foundation

/// How this server mints access tokens: the longest `ttl` a request may ask for, and where clients
/// connect with them.
struct AccessTokenSettings: Sendable {
    let maxTTL: TimeInterval
    /// Where clients connect (`ws://` or `wss://`); nil to answer with the request's own host.
    let publicURL: String?

    /// The `server_url` of an answer: the public URL in its WebSocket scheme, or the request's host.
    func serverURL(authority: String?) -> String {
        WebSocketBase(publicURL: publicURL).url(authority: authority)
    }
}
