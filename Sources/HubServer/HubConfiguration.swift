import NIOSSL
import SyncHTTP

/// What the hub's HTTP application needs to know: where to listen, how much to accept, and the
/// TLS certificate when it serves HTTPS.
struct HubConfiguration: Sendable {
    /// The default largest request body, after decompression: 64 MiB.
    static let defaultMaxBodyBytes = 64 << 20
    /// The default number of requests a credential may send per minute.
    static let defaultRateLimit = 600
    /// The default time a connection may stay silent (idle, or stalled in the middle of a
    /// request) before the hub closes it.
    static let defaultIdleTimeout: Duration = ListenerSettings.defaultIdleTimeout

    /// The address to bind, such as `127.0.0.1`.
    var host: String
    /// The TCP port; 0 picks a free one.
    var port: Int
    /// The largest request body accepted, in bytes, after gzip decompression.
    var maxBodyBytes: Int
    /// The name the server reports in its logs.
    var serverName: String
    /// Requests a credential may send per minute; more get `429 Too Many Requests`.
    var rateLimit: Int
    /// How long a connection may stay silent before the hub closes it.
    var idleTimeout: Duration
    /// The certificate and key to serve HTTPS with; `nil` serves plain HTTP.
    var tls: TLSConfiguration?
    /// Requests without a valid credential one client address may send per minute.
    var unauthenticatedRateLimit: Int = 60
    /// A TLS-terminating proxy is in front: its `X-Forwarded-Proto: https` marks cookies
    /// `Secure` and adds `Strict-Transport-Security`, and its `X-Forwarded-For` names clients.
    var behindHTTPSProxy = false
    /// The names the dashboard answers to (`--public-host`); empty accepts any `Host`.
    var publicHosts: [String] = []
    /// How many sign-in failures are free and how long lockouts last.
    var signInPolicy = SignInThrottle.Policy()

    /// When a request came over HTTPS.
    var https: HTTPSPolicy { HTTPSPolicy(servesTLS: tls != nil, behindHTTPSProxy: behindHTTPSProxy) }

    init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxBodyBytes: Int = Self.defaultMaxBodyBytes,
        serverName: String = "hub-server",
        rateLimit: Int = Self.defaultRateLimit,
        idleTimeout: Duration = Self.defaultIdleTimeout,
        tls: TLSConfiguration? = nil
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.serverName = serverName
        self.rateLimit = rateLimit
        self.idleTimeout = idleTimeout
        self.tls = tls
    }
}
