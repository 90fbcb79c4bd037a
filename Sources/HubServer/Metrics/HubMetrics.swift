import Prometheus
import SyncCore
import SyncHTTP

/// The hub's metrics, kept in a Prometheus registry and served as text at `GET /metrics`.
///
/// - `hub_http_requests_total{route,method,status}`: requests answered.
/// - `hub_http_request_duration_seconds{route}`: how long handlers took (a histogram).
/// - `hub_changes_applied_total`, `hub_changes_ignored_total`: pushed changes that took effect,
///   or were already known or superseded.
/// - `hub_changes_pulled_total`: changes sent in pulled batches.
/// - `hub_refusals_total{code}`: requests of enrolled replicas refused for what they claimed or
///   carried (a forged origin, a context naming writes nobody made, an oversized vector…).
///
/// Each application owns its registry, so tests never share counters.
final class HubMetrics: Sendable {
    /// The registry the metrics live in.
    let registry: PrometheusCollectorRegistry
    /// Pushed changes that altered the hub's state.
    let changesApplied: Counter
    /// Pushed changes the hub already had or that were superseded.
    let changesIgnored: Counter
    /// Changes sent to replicas in pulled batches.
    let changesPulled: Counter

    /// The latency histogram's buckets.
    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
    ]

    init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        changesApplied = registry.makeCounter(
            descriptor: Self.counter("changes_applied", help: "Pushed changes that altered the hub's state.")
        )
        changesIgnored = registry.makeCounter(
            descriptor: Self.counter(
                "changes_ignored",
                help: "Pushed changes the hub already had or that were superseded."
            )
        )
        changesPulled = registry.makeCounter(
            descriptor: Self.counter("changes_pulled", help: "Changes sent to replicas in pulled batches.")
        )
    }

    /// Counts one answered request and records how long it took.
    ///
    /// - Parameters:
    ///   - route: The matched route pattern, such as `/v1/push`, or `unmatched`.
    ///   - method: The HTTP method.
    ///   - status: The response status code.
    ///   - duration: The handler's duration.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.counter("http_requests", help: "HTTP requests answered, by route, method and status."),
            labels: [("route", route), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "hub",
                metricName: "http_request_duration",
                unitName: "seconds",
                helpText: "Time spent answering HTTP requests, by route."
            ),
            labels: [("route", route)],
            buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Records the dashboard's password hashing: `hub_password_hashes_running`, the peak
    /// `hub_password_hashes_peak`, `hub_password_hashes_completed` and
    /// `hub_password_hashes_refused` (sign-ins answered 503).
    ///
    /// - Parameter statistics: The hashing threads' statistics.
    @Sendable func recordPasswordHashing(_ statistics: PasswordHashingPool.Statistics) {
        let gauges: [(String, String, Int)] = [
            ("password_hashes_running", "Password hashes running now.", statistics.running),
            ("password_hashes_peak", "The most password hashes that ran at once.", statistics.peak),
            ("password_hashes_completed", "Password hashes completed.", statistics.completed),
            ("password_hashes_refused", "Sign-ins answered 503: the hashing threads were full.", statistics.refused),
        ]
        for (name, help, value) in gauges {
            registry.makeGauge(
                descriptor: MetricNameDescriptor(namespace: "hub", metricName: name, unitName: "", helpText: help)
            ).set(Int64(value))
        }
    }

    /// The metrics in Prometheus's text exposition format.
    ///
    /// - Returns: The exposition text.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }

    private static func counter(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "hub", metricName: name, unitName: "total", helpText: help)
    }
}

extension HubMetrics: SyncRouteObserver {
    func pulled(_ count: Int) {
        changesPulled.increment(by: Int64(count))
    }

    func pushed(_ response: PushResponse) {
        changesApplied.increment(by: Int64(response.applied))
        changesIgnored.increment(by: Int64(response.ignored))
    }

    func refused(_ error: SyncError) {
        registry.makeCounter(
            descriptor: Self.counter(
                "refusals",
                help: "Requests of enrolled replicas refused for what they claimed or carried, by error code."
            ),
            labels: [("code", error.code.description)]
        ).increment()
    }
}
