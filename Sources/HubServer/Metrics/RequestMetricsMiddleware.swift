import Hummingbird

/// Counts every request by route, method and status, and records its latency, in ``HubMetrics``.
///
/// The route label is the matched pattern (such as `/v1/push`), never the raw path, so a scan
/// of random paths cannot grow the number of series: unmatched requests share one label.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Where requests are counted.
    let metrics: HubMetrics

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context: context, status: response.status, since: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context: context, status: status, since: started)
            throw error
        }
    }

    private func record(
        _ request: Request,
        context: Context,
        status: HTTPResponse.Status,
        since started: ContinuousClock.Instant
    ) {
        metrics.recordRequest(
            route: context.endpointPath ?? "unmatched",
            method: request.method.rawValue,
            status: status.code,
            duration: ContinuousClock.now - started
        )
    }
}
