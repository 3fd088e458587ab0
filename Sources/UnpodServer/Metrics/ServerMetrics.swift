import CoreMetrics
import Foundation
import Metrics
import Prometheus
import Synchronization

/// The server's metrics (issue 5, item 5), through swift-metrics into one Prometheus registry per
/// application, so that two servers in one process (the tests) never mix their counts.
///
/// Handles are made once per label set and kept: a request costs one locked dictionary lookup, an
/// atomic increment and a histogram record. Labels are route patterns, methods, status codes and
/// error codes only: never a token, key id or email.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct RouteKey: Hashable {
        var route: String
        var method: String
    }

    private struct Handles {
        var requests: [RequestKey: CoreMetrics.Counter] = [:]
        var durations: [RouteKey: CoreMetrics.Timer] = [:]
        var authOutcomes: [String: CoreMetrics.Counter] = [:]
    }

    private let handles = Mutex(Handles())
    let cacheHits: CoreMetrics.Counter
    let cacheMisses: CoreMetrics.Counter
    /// Successful authentications: kept apart from the failure codes, as it is counted on every request.
    private let authSucceeded: CoreMetrics.Counter

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["unpod_http_request_duration_seconds"] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        cacheHits = CoreMetrics.Counter(label: "unpod_auth_cache_lookups_total", dimensions: [("result", "hit")], factory: factory)
        cacheMisses = CoreMetrics.Counter(label: "unpod_auth_cache_lookups_total", dimensions: [("result", "miss")], factory: factory)
        authSucceeded = CoreMetrics.Counter(label: "unpod_auth_attempts_total", dimensions: [("outcome", "ok")], factory: factory)
    }

    /// One answered request: `route` is the matched pattern (`/api/v2/platform/api-keys/{keyID}`).
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let (counter, timer) = handles.withLock { handles in
            let key = RequestKey(route: route, method: method, status: status)
            let counter =
                handles.requests[key]
                ?? {
                    let counter = CoreMetrics.Counter(
                        label: "unpod_http_requests_total",
                        dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
                    handles.requests[key] = counter
                    return counter
                }()
            let routeKey = RouteKey(route: route, method: method)
            let timer =
                handles.durations[routeKey]
                ?? {
                    let timer = CoreMetrics.Timer(
                        label: "unpod_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
                        factory: factory)
                    handles.durations[routeKey] = timer
                    return timer
                }()
            return (counter, timer)
        }
        counter.increment()
        timer.record(duration: duration)
    }

    /// One authentication: `ok`, or the error's `code` (`invalid_token`, `token_expired`, …).
    func recordAuthentication(_ outcome: String) {
        guard outcome != "ok" else { return authSucceeded.increment() }
        let counter = handles.withLock { handles in
            handles.authOutcomes[outcome]
                ?? {
                    let counter = CoreMetrics.Counter(
                        label: "unpod_auth_attempts_total", dimensions: [("outcome", outcome)], factory: factory)
                    handles.authOutcomes[outcome] = counter
                    return counter
                }()
        }
        counter.increment()
    }

    /// A gauge read at scrape time (pool sizes, open connections).
    func gauge(_ label: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: label, dimensions: dimensions, factory: factory)
    }

    func counter(_ label: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
    }

    /// The Prometheus text exposition of everything recorded.
    func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}

/// Health of one background task (the auth-epoch watcher, the last-used writer): whether its last
/// run succeeded, when it last did, and how often it failed.
struct BackgroundTaskHealth: Sendable {
    private let up: CoreMetrics.Gauge
    private let lastSuccess: CoreMetrics.Gauge
    private let failures: CoreMetrics.Counter

    init(task: String, metrics: ServerMetrics) {
        up = metrics.gauge("unpod_background_task_up", [("task", task)])
        lastSuccess = metrics.gauge("unpod_background_task_last_success_timestamp_seconds", [("task", task)])
        failures = metrics.counter("unpod_background_task_failures_total", [("task", task)])
        up.record(1)
    }

    func succeeded() {
        up.record(1)
        lastSuccess.record(Date().timeIntervalSince1970)
    }

    func failed() {
        up.record(0)
        failures.increment()
    }
}
