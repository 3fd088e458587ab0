import CoreMetrics
import Hummingbird
import NIOCore
import UnpodCore
import UnpodPersistence

/// `GET /metrics`: Prometheus text format. Open unless `UNPOD_METRICS_TOKEN` is set, then it needs
/// `Authorization: Bearer <that value>` (compared in constant time).
struct MetricsController {
    let metrics: ServerMetrics
    let store: SQLStore
    let connections: ConnectionCounter
    /// The SDK's runners connected to this node.
    let runners: RunnerRegistry
    let token: String?

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        let pool = PoolGauges(metrics: metrics)
        let openConnections = metrics.gauge("unpod_http_open_connections")
        let connectedRunners = metrics.gauge("unpod_runners_connected")
        router.get("metrics") { request, _ in
            if let token {
                guard let header = request.headers[.authorization], Self.matches(header, token: token) else {
                    throw APIError.notAuthenticated
                }
            }
            await pool.update(from: store.database.poolStatistics())
            openConnections.record(connections.current)
            connectedRunners.record(runners.count)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }
    }

    static func matches(_ header: String, token: String) -> Bool {
        ConstantTime.equal(header, "Bearer \(token)")
    }
}

/// The database pool's gauges, set from a snapshot at each scrape (nothing on the query path).
struct PoolGauges: Sendable {
    private let inUse: Gauge
    private let idle: Gauge
    private let waiting: Gauge
    private let waits: Gauge

    init(metrics: ServerMetrics) {
        inUse = metrics.gauge("unpod_db_pool_connections", [("state", "in_use")])
        idle = metrics.gauge("unpod_db_pool_connections", [("state", "idle")])
        waiting = metrics.gauge("unpod_db_pool_waiting")
        waits = metrics.gauge("unpod_db_pool_waits")
    }

    func update(from statistics: PoolStatistics) {
        inUse.record(statistics.inUse)
        idle.record(statistics.idle)
        waiting.record(statistics.waiting)
        waits.record(statistics.totalWaits)
    }
}
