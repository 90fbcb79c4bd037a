import Hummingbird
import SyncCore
import SyncHTTP

/// The operational endpoints, without authentication: `GET /health` and `GET /metrics`.
struct HealthRoutes: Sendable {
    /// The answer of `GET /health`.
    struct Health: Encodable {
        /// `ok` when the store answered.
        var status: String
        /// The hub's replica identity.
        var replica: ReplicaID
    }

    /// The hub's store, read once per health check.
    let store: any SyncStore
    /// The metrics served at `/metrics`.
    let metrics: HubMetrics

    /// Adds the routes.
    ///
    /// - Parameter router: The application's router.
    func addRoutes(to router: Router<HubRequestContext>) {
        router.get("health") { request, _ in try await health(request) }
        router.get("metrics") { _, _ in metricsResponse() }
    }

    /// Answers 200 `{"status":"ok","replica":…}` when the store can be read; a store failure
    /// is a 503 with the error body.
    func health(_ request: Request) async throws -> Response {
        _ = try await store.vector()
        return try JSONBody.response(Health(status: "ok", replica: store.replicaID), for: request)
    }

    /// The Prometheus text exposition.
    func metricsResponse() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition()))
        )
    }
}
