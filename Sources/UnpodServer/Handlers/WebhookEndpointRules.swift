import Foundation
import UnpodCore

/// A webhook endpoint's URL, checked on write (issue 18): http or https, no credentials in it, and
/// not aimed at a private, loopback or link-local address, by literal or after DNS resolution,
/// unless the operator allows private destinations (`--webhooks-allow-private`). Each delivery
/// resolves the host again (WebhookSender): a name that later points inside is refused then too.
public struct WebhookEndpointRules: Sendable {
    public let allowPrivate: Bool

    public init(allowPrivate: Bool) {
        self.allowPrivate = allowPrivate
    }

    public func checkURL(_ url: String) async throws(ContentError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty
        else { throw ContentError("url must be an http or https URL") }
        guard components.user == nil, components.password == nil else {
            throw ContentError("url must not hold credentials: check the signature instead")
        }
        if !allowPrivate, await PrivateDestinations.resolvesPrivately(host) {
            throw ContentError("url points at a private, loopback or link-local address (or a name that does not resolve), which webhooks may not reach")
        }
    }
}
