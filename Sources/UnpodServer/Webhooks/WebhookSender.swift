import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import UnpodCore
import UnpodPersistence

/// Sends one delivery (Standard Webhooks): the stored payload's exact bytes, `webhook-id` (the
/// message's, the same on every try and every endpoint), `webhook-timestamp` (this try's) and
/// `webhook-signature` (one `v1,` signature per live secret, space-separated). Redirects are not
/// followed (a 3xx is a failure); the destination is resolved and refused when private, unless
/// the operator allows private destinations.
struct WebhookSender: Sendable {
    let allowPrivate: Bool
    let timeout: Duration
    let schedule: WebhookRetrySchedule
    let clock: any WallClock

    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    func send(_ dispatch: WebhookDispatch) async -> WebhookAttemptResult {
        let started = ContinuousClock.now
        func failed(_ error: String, status: Int? = nil, response: String = "", retryAfter: TimeInterval? = nil) -> WebhookAttemptResult {
            WebhookAttemptResult(
                outcome: .failed(retryIn: schedule.delay(afterAttempt: dispatch.step + 1, retryAfter: retryAfter)), statusCode: status,
                latencyMS: Int((ContinuousClock.now - started).milliseconds), response: response, error: error)
        }
        guard let components = URLComponents(string: dispatch.url), let host = components.host else {
            return failed("the endpoint's URL is not valid")
        }
        if !allowPrivate, await PrivateDestinations.resolvesPrivately(host) {
            return failed("the endpoint's host resolves to a private address, which webhooks may not reach")
        }
        let timestamp = Int64(clock.now().timeIntervalSince1970)
        var request = HTTPClientRequest(url: dispatch.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Unpod-Webhooks/1")
        request.headers.add(name: "webhook-id", value: dispatch.messageID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        request.headers.add(
            name: "webhook-signature",
            value: dispatch.secrets.map { $0.signature(id: dispatch.messageID, timestamp: timestamp, body: dispatch.payload) }.joined(separator: " "))
        request.body = .bytes(ByteBuffer(bytes: dispatch.payload))
        do {
            let response = try await Self.client.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1_000_000_000)))
            let body = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
            let excerpt = String(body.prefix(500))
            let code = Int(response.status.code)
            let latency = Int((ContinuousClock.now - started).milliseconds)
            switch code {
            case 200..<300:
                return WebhookAttemptResult(outcome: .delivered, statusCode: code, latencyMS: latency, response: excerpt, error: nil)
            case 410:
                return WebhookAttemptResult(outcome: .gone, statusCode: code, latencyMS: latency, response: excerpt, error: "410 Gone")
            default:
                let retryAfter = response.headers.first(name: "Retry-After").flatMap {
                    WebhookRetrySchedule.parseRetryAfter($0, now: clock.now())
                }
                return failed("the endpoint answered HTTP \(code)", status: code, response: excerpt, retryAfter: retryAfter)
            }
        } catch {
            return failed("the request failed: \(error)")
        }
    }
}
