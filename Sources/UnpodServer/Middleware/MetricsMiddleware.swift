import Hummingbird

/// Counts every answer by route pattern, method and status, and records its latency. Outside the
/// error middleware's catch, so it sees the status the client gets. Unmatched paths count under
/// one route (Hummingbird's `NotFound`), so a scan of random URLs cannot grow the label set.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.recordRequest(
            route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code,
            duration: ContinuousClock.now - start)
        return response
    }
}
