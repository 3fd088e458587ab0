import Foundation
import HTTPTypes
import Testing
import UnpodCore
import UnpodPersistence
import UnpodTestSupport

/// `GET /metrics` after known traffic (issue 5, item 5).
@Suite struct MetricsTests {
    @Test(arguments: TestDatabase.all)
    func countsMatchTheTrafficAndNoLabelHoldsASecret(_ engine: TestDatabase) async throws {
        try await withServer(engine) { server in
            let fixture = try await Fixture.make(server.store)
            for _ in 0..<3 { #expect(try await server.get("/healthz").status == .ok) }
            for _ in 0..<4 { #expect(try await server.get(Paths.organizations, token: fixture.token).status == .ok) }
            for _ in 0..<2 { expectError(try await server.get(Paths.organizations, token: "unpod_x"), .invalidToken) }
            expectError(try await server.get(Paths.callLogs, token: fixture.token), .orgHandleRequired)
            let keyID = try #require(APIKeyToken.parse(fixture.token)?.keyID)
            #expect(try await server.request(.delete, Paths.keys + "AAAAAAAAAAAAAAAA/", authorization: "Token \(fixture.token)").status == .notFound)

            let response = try await server.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let samples = PrometheusText(response.text)
            #expect(samples.value("unpod_http_requests_total", ["route": "/healthz", "method": "GET", "status": "200"]) == 3)
            #expect(
                samples.value(
                    "unpod_http_requests_total", ["route": "/api/v2/platform/organizations", "method": "GET", "status": "200"]) == 4)
            #expect(
                samples.value(
                    "unpod_http_requests_total", ["route": "/api/v2/platform/organizations", "method": "GET", "status": "401"]) == 2)
            #expect(
                samples.value(
                    "unpod_http_requests_total", ["route": "/api/v2/platform/call-logs", "method": "GET", "status": "400"]) == 1)
            #expect(
                samples.value(
                    "unpod_http_requests_total",
                    ["route": "/api/v2/platform/api-keys/{key_id}", "method": "DELETE", "status": "404"]) == 1)
            #expect(samples.value("unpod_http_request_duration_seconds_count", ["route": "/healthz", "method": "GET"]) == 3)
            #expect(samples.value("unpod_auth_attempts_total", ["outcome": "ok"]) == 6)
            #expect(samples.value("unpod_auth_attempts_total", ["outcome": "invalid_token"]) == 2)
            // One miss (the first use of the key), then hits; the broken checksum never reaches the cache.
            #expect(samples.value("unpod_auth_cache_lookups_total", ["result": "miss"]) == 1)
            #expect(samples.value("unpod_auth_cache_lookups_total", ["result": "hit"]) == 5)
            // The pool (4 connections in tests): the scrape's own and the background tasks' (each may
            // hold one during the scrape: auth epochs, data changes, call nodes, analytics) are within it.
            let inUse = try #require(samples.value("unpod_db_pool_connections", ["state": "in_use"]))
            let idle = try #require(samples.value("unpod_db_pool_connections", ["state": "idle"]))
            #expect((1...4).contains(inUse + idle), "in use \(inUse), idle \(idle)")
            // Background tasks may queue for a moment (more of them than the pool's 4): what matters
            // is that nothing stays waiting, so a later scrape sees none.
            try await eventually(within: 5) {
                PrometheusText(try await server.get("/metrics").text).value("unpod_db_pool_waiting", [:]) == 0
            }
            #expect(samples.value("unpod_http_open_connections", [:]).map { $0 >= 1 } == true)
            #expect(samples.value("unpod_background_task_up", ["task": "auth_epoch_watcher"]) == 1)
            #expect(samples.value("unpod_background_task_failures_total", ["task": "last_used_writer"]) == 0)

            let labels = samples.all.flatMap { $0.labels.values }
            for secret in [fixture.token, keyID, fixture.user.email, "unpod_x"] {
                #expect(!labels.contains { $0.contains(secret) }, "a label holds \(secret)")
                #expect(!response.text.contains(secret))
            }
        }
    }

    @Test func aMetricsTokenIsRequiredWhenSet() async throws {
        try await withServer(.sqlite, configure: { $0.metricsToken = "scrape-secret" }) { server in
            expectError(try await server.get("/metrics"), .notAuthenticated)
            expectError(try await server.request(.get, "/metrics", authorization: "Bearer wrong"), .notAuthenticated)
            #expect(try await server.request(.get, "/metrics", authorization: "Bearer scrape-secret").status == .ok)
        }
    }
}

/// The samples of a Prometheus text exposition.
struct PrometheusText {
    struct Sample {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let all: [Sample]

    init(_ text: String) {
        all = text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
            else { return nil }
            let series = line[..<space]
            guard let open = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: open)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<open]), labels: labels, value: value)
        }
    }

    func value(_ name: String, _ labels: [String: String]) -> Double? {
        all.first { $0.name == name && $0.labels == labels }?.value
    }
}
