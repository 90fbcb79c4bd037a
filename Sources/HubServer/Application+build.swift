import Hummingbird
import Logging
import SyncCore
import SyncHTTP
import WebUI

/// The hub's store: the replicated data behind ``SyncStore`` and the enrollment register.
typealias HubStore = EnrollmentRegistry & SyncStore

/// Builds the hub's HTTP application: the routes, their middleware and the server settings.
///
/// `hub-server serve` runs what this returns; tests call it too, with `app.test(.router)` or
/// `.live`. It does no I/O of its own and bootstraps no global system (logging, metrics).
///
/// - Parameters:
///   - configuration: Where to listen and how much to accept.
///   - store: The hub's store.
///   - metrics: Where requests and changes are counted.
///   - limiter: The credentials' request buckets; `nil` counts in this process, at
///     `configuration.rateLimit`.
///   - logger: The application's logger.
///   - onServerRunning: Called with the bound address once the server listens.
/// - Returns: The application.
/// - Throws: ``SyncError`` when the dashboard's account tables cannot be created.
func buildApplication(
    configuration: HubConfiguration,
    store: some HubStore,
    metrics: HubMetrics = HubMetrics(),
    limiter: (any CredentialLimiter)? = nil,
    logger: Logger,
    onServerRunning: @escaping @Sendable (_ host: String, _ port: Int?) async -> Void = { _, _ in }
) throws -> some ApplicationProtocol {
    let router = try buildRouter(configuration: configuration, store: store, metrics: metrics, limiter: limiter)
    return Application(
        router: router,
        server: configuration.makeServer(),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: configuration.serverName
        ),
        onServerRunning: { channel in await onServerRunning(configuration.host, channel.localAddress?.port) },
        logger: logger
    )
}

/// Builds the hub's router: `/health`, `/metrics`, `/openapi.yaml`, the authenticated and
/// rate-limited `/v1` sync routes and the coordinators' dashboard (see Docs/DASHBOARD.md).
///
/// - Parameters:
///   - configuration: The body size limit.
///   - store: The hub's store.
///   - metrics: Where requests and changes are counted.
///   - limiter: The credentials' request buckets; `nil` counts in this process, at
///     `configuration.rateLimit`.
/// - Returns: The router.
/// - Throws: ``SyncError`` when the dashboard's account tables cannot be created.
func buildRouter(
    configuration: HubConfiguration,
    store: some HubStore,
    metrics: HubMetrics,
    limiter: (any CredentialLimiter)? = nil
) throws -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self)
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: StrictTransportSecurityMiddleware<HubRequestContext>(policy: configuration.https))
    // A SQLite store is called off the cooperative pool, so that requests waiting for its lock
    // hold no thread that the others need.
    let served: any HubStore = (store as? ReplicaStore).map { ServedReplicaStore($0) } ?? store
    HealthRoutes(store: served, metrics: metrics).addRoutes(to: router)
    OpenAPIRoutes().addRoutes(to: router)
    let sync = SyncRoutes<HubRequestContext>(
        server: SyncServer(store: served, registry: served),
        observer: metrics,
        maxBodyBytes: configuration.maxBodyBytes
    )
    sync.addRoutes(
        to: router.group("v1")
            .add(
                middleware: BearerAuthMiddleware<HubRequestContext>(
                    registry: served,
                    failures: RateLimiter(limit: configuration.unauthenticatedRateLimit),
                    trustsForwardedFor: configuration.behindHTTPSProxy
                )
            )
            .add(
                middleware: RateLimitMiddleware<HubRequestContext>(
                    limiter: limiter ?? RateLimiter(limit: configuration.rateLimit)
                )
            )
    )
    // The coordinators' dashboard reads the typed participation API of the SQLite store; on
    // PostgreSQL its paths say so.
    if let hub = store as? ReplicaStore {
        var dashboard = DashboardRoutes(store: hub, accounts: try SQLiteAccountStore(hub))
        dashboard.site = SiteGuard(
            hosts: configuration.publicHosts.isEmpty
                ? nil : AllowedHosts(names: configuration.publicHosts + ["localhost", "127.0.0.1", "::1"]),
            https: configuration.https
        )
        dashboard.hashing = PasswordHashingPool(observer: metrics.recordPasswordHashing)
        dashboard.throttle = SignInThrottle(policy: configuration.signInPolicy)
        dashboard.addRoutes(to: router)
    } else {
        DashboardUnavailableRoutes().addRoutes(to: router)
    }
    return router
}
