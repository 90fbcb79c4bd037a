import Foundation
import Hummingbird
import Logging
import SyncCore
import SyncHTTP

/// The office's sync endpoints for its field laptops: `POST /v1/hello`, `/v1/pull` and
/// `/v1/push`, the same messages the hub answers, plus `GET /health`.
///
/// They are served by the same ``SyncRoutes`` as the hub's, over the office's own store, behind
/// bearer authentication (credentials issued by `replica-node peer add`) and a per-credential
/// rate limit. The server is separate from the clerk pages, which stay on 127.0.0.1.
struct OfficeSyncServer: Sendable {
    /// The default largest request body, in bytes, after decompression.
    static let defaultMaxBodyBytes = 32 << 20
    /// The default requests per credential per minute.
    static let defaultRateLimit = 600

    /// The office's store.
    let store: ReplicaStore
    /// The address to listen on.
    let host: String
    /// The port; 0 picks a free one.
    let port: Int
    /// Requests per credential per minute.
    var rateLimit = Self.defaultRateLimit
    /// The largest request body.
    var maxBodyBytes = Self.defaultMaxBodyBytes
    /// Requests without a valid credential one address may send per minute.
    var unauthenticatedRateLimit = BearerAuthMiddleware<SyncOnlyRequestContext>.defaultFailureLimit
    /// The idle timeout, and TLS when `--sync-tls-cert` is given.
    var listener = ListenerSettings()
    /// More names the endpoints answer to (`--allowed-host`), besides the listening address.
    var allowedHosts: [String] = []

    /// The router: `/health` and the authenticated, rate-limited `/v1` routes, for the
    /// listener's own names only (421 otherwise).
    func makeRouter() -> Router<SyncOnlyRequestContext> {
        let router = Router(context: SyncOnlyRequestContext.self)
        router.add(
            middleware: HostCheckMiddleware<SyncOnlyRequestContext>(
                hosts: AllowedHosts(listeningOn: host, extra: allowedHosts),
                option: "replica-node serve --allowed-host NAME"
            )
        )
        router.add(
            middleware: StrictTransportSecurityMiddleware<SyncOnlyRequestContext>(
                policy: HTTPSPolicy(servesTLS: listener.tls != nil)
            )
        )
        let store = store
        router.get("health") { request, _ in
            try JSONBody.response(["status": "ok", "replica": store.replicaID.rawValue], for: request)
        }
        let served = ServedReplicaStore(store)
        let registry = OfficeRegistry(store: served)
        SyncRoutes<SyncOnlyRequestContext>(
            server: SyncServer(store: served, registry: registry),
            maxBodyBytes: maxBodyBytes
        )
        .addRoutes(
            to: router.group("v1")
                .add(
                    middleware: BearerAuthMiddleware<SyncOnlyRequestContext>(
                        registry: registry,
                        failures: RateLimiter(limit: unauthenticatedRateLimit),
                        option: "replica-node serve --sync-unauthenticated-rate-limit"
                    )
                )
                .add(
                    middleware: RateLimitMiddleware<SyncOnlyRequestContext>(
                        limiter: RateLimiter(limit: rateLimit),
                        option: "replica-node serve --sync-rate-limit"
                    )
                )
        )
        return router
    }

    /// The application, announcing its address on the standard output once it listens.
    func makeApplication(logger: Logger) -> some ApplicationProtocol {
        let (host, port, scheme) = (host, port, listener.scheme)
        let shown = host.contains(":") ? "[\(host)]" : host
        return Application(
            router: makeRouter(),
            server: listener.makeServer(),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port),
                serverName: "replica-node"
            ),
            onServerRunning: { channel in
                Console.line(
                    "replica-node sync endpoints on \(scheme)://\(shown):\(channel.localAddress?.port ?? port)/v1"
                )
            },
            logger: logger
        )
    }

    /// Parses `HOST:PORT` (or `:PORT`, all addresses).
    ///
    /// - Parameter text: The option's value.
    /// - Returns: The host and port, or `nil` when malformed.
    static func parseListen(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
