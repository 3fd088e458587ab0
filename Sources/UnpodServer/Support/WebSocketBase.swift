/// Where clients open this server's sockets (`ws://host:port` or `wss://…`): the operator's public
/// URL in its WebSocket scheme, else the host the client itself reached (its request's authority).
struct WebSocketBase: Sendable {
    /// `--public-url`; nil to answer with the request's own host.
    let publicURL: String?

    func url(authority: String?) -> String {
        if let publicURL {
            if publicURL.hasPrefix("https://") { return "wss://" + publicURL.dropFirst("https://".count) }
            if publicURL.hasPrefix("http://") { return "ws://" + publicURL.dropFirst("http://".count) }
            return publicURL
        }
        return "ws://" + (authority ?? "127.0.0.1")
    }
}
