import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOSSL
import PostgresHub
import ServiceLifecycle
import SyncCore
import SyncHTTP
import UnixSignals

/// `hub-server serve`: runs the HTTP server until SIGTERM or SIGINT, then shuts down gracefully.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the sync protocol over HTTP until SIGTERM or SIGINT."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on (default: $HUB_HOST, else 127.0.0.1).")
    var host: String?

    @Option(help: "The TCP port; 0 picks a free one (default: $HUB_PORT, else 8080).")
    var port: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (default: $LOG_LEVEL, else info).")
    var logLevel: String?

    @Option(help: "The largest request body accepted, in MiB, after gzip decompression.")
    var maxBodyMib: Int = HubConfiguration.defaultMaxBodyBytes >> 20

    @Option(help: "Requests one credential may send per minute; more are answered 429.")
    var rateLimit: Int = HubConfiguration.defaultRateLimit

    @Option(help: "Requests without a valid credential one client address may send per minute; more are answered 429.")
    var unauthenticatedRateLimit = 60

    @Flag(
        help: """
            A TLS-terminating proxy is in front: trust its X-Forwarded-Proto (https marks cookies Secure and adds \
            Strict-Transport-Security) and X-Forwarded-For (the client's address for the limits).
            """
    )
    var behindHttpsProxy = false

    @Option(
        help: ArgumentHelp(
            "A name the dashboard is reached by (repeatable); other Host names are answered 421. Default: any.",
            valueName: "name"
        )
    )
    var publicHost: [String] = []

    @Option(help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (with --tls-key).", valueName: "pem"))
    var tlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "pem"))
    var tlsKey: String?

    @Option(help: ArgumentHelp("Also sync with this national or regional hub, periodically.", valueName: "url"))
    var upstream: String?

    @Option(help: ArgumentHelp("A file holding this hub's relay credential at --upstream.", valueName: "file"))
    var upstreamTokenFile: String?

    @Option(help: ArgumentHelp("Seconds between upstream exchanges while it answers.", valueName: "seconds"))
    var upstreamInterval = 300

    @Option(help: ArgumentHelp("The longest wait after failed upstream exchanges.", valueName: "seconds"))
    var upstreamMaxBackoff = 3_600

    func validate() throws {
        _ = try resolvedPort()
        _ = try resolvedLogLevel()
        guard (1...1_024).contains(maxBodyMib) else {
            throw ValidationError("--max-body-mib must be between 1 and 1024 (got \(maxBodyMib))")
        }
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both to serve HTTPS, or neither")
        }
        guard (1...1_000_000).contains(rateLimit) else {
            throw ValidationError("--rate-limit must be between 1 and 1000000 requests a minute (got \(rateLimit))")
        }
        guard (1...1_000_000).contains(unauthenticatedRateLimit) else {
            throw ValidationError(
                "--unauthenticated-rate-limit must be between 1 and 1000000 requests a minute "
                    + "(got \(unauthenticatedRateLimit))"
            )
        }
        for name in publicHost where AllowedHosts.hostName(ofAuthority: name) == nil {
            throw ValidationError(
                "--public-host '\(name.prefix(60))' is not a host name; give one such as hub.example.ma"
            )
        }
        guard (upstream == nil) == (upstreamTokenFile == nil) else {
            throw ValidationError(
                "--upstream and --upstream-token-file go together: give both to sync with a national hub, or neither"
            )
        }
        guard (1...86_400).contains(upstreamInterval) else {
            throw ValidationError("--upstream-interval must be between 1 and 86400 seconds (got \(upstreamInterval))")
        }
        guard (1...86_400).contains(upstreamMaxBackoff) else {
            throw ValidationError(
                "--upstream-max-backoff must be between 1 and 86400 seconds (got \(upstreamMaxBackoff))"
            )
        }
    }

    func run() async throws {
        let level = try resolvedLogLevel()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "hub-server")
        logger.logLevel = level
        var settings = HubConfiguration(
            host: environment("HUB_HOST", given: host) ?? "127.0.0.1",
            port: try resolvedPort(),
            maxBodyBytes: maxBodyMib << 20,
            rateLimit: rateLimit,
            tls: try Terminal.reportingErrors { try loadTLS() }
        )
        settings.unauthenticatedRateLimit = unauthenticatedRateLimit
        settings.behindHTTPSProxy = behindHttpsProxy
        settings.publicHosts = publicHost
        let configuration = settings
        let link = try Terminal.reportingErrors {
            try upstream.map { try UpstreamLink(url: $0, tokenFile: upstreamTokenFile ?? "", option: "--upstream") }
        }
        switch try database.backend() {
        case .sqlite:
            let store = try Terminal.reportingErrors { try database.open() }
            logger.info(
                "hub database opened",
                metadata: ["db": .string(store.path), "replica": .string(store.replicaID.rawValue)]
            )
            let upstreamDaemon = link.map { makeUpstreamDaemon($0, store: ServedReplicaStore(store), logger: logger) }
            try await serve(store, upstream: upstreamDaemon, limiter: nil, configuration: configuration, logger: logger)
        case .postgres(let url):
            let logger = logger
            try await Terminal.reportingAsyncErrors {
                try await DatabaseOptions.withPostgres(url, logger: logger) { store in
                    logger.info(
                        "hub database opened",
                        metadata: ["postgres": .string(url.redacted), "replica": .string(store.replicaID.rawValue)]
                    )
                    logger.notice("the coordinators' dashboard needs the SQLite backend; its pages answer 503 here")
                    let limiter = PostgresRateLimiter(
                        client: store.client,
                        logger: logger,
                        limit: configuration.rateLimit
                    )
                    try await serve(
                        store,
                        upstream: link.map { makeUpstreamDaemon($0, store: store, logger: logger) },
                        limiter: limiter,
                        configuration: configuration,
                        logger: logger
                    )
                }
            }
        }
        logger.info("hub-server stopped")
    }

    private func serve(
        _ store: some HubStore,
        upstream: SyncDaemon<ContinuousClock>?,
        limiter: (any CredentialLimiter)?,
        configuration: HubConfiguration,
        logger: Logger
    ) async throws {
        let app = try buildApplication(configuration: configuration, store: store, limiter: limiter, logger: logger) {
            host,
            port in
            let scheme = configuration.tls == nil ? "http" : "https"
            Terminal.write("hub-server listening on \(scheme)://\(host):\(port ?? configuration.port)\n")
        }
        var services: [any Service] = [app]
        if let upstream { services.append(upstream) }
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    /// The periodic exchange with the upstream hub.
    ///
    /// It syncs every `--upstream-interval` while the upstream hub answers, with growing waits
    /// while it does not, beside the server and never holding it up.
    private func makeUpstreamDaemon(
        _ link: UpstreamLink,
        store: any SyncClientStore,
        logger: Logger
    ) -> SyncDaemon<ContinuousClock> {
        var upstreamLogger = logger
        upstreamLogger[metadataKey: "upstream"] = .string(link.url.absoluteString)
        return SyncDaemon(
            interval: .seconds(upstreamInterval),
            backoff: Backoff(
                initial: .seconds(min(upstreamInterval, 30)),
                maximum: .seconds(max(upstreamInterval, upstreamMaxBackoff))
            ),
            clock: ContinuousClock(),
            logger: upstreamLogger
        ) { try await link.synchronize(store) }
    }

    private func loadTLS() throws -> TLSConfiguration? {
        guard let tlsCert, let tlsKey else { return nil }
        return try HubConfiguration.loadTLS(certificatePath: tlsCert, keyPath: tlsKey)
    }

    private func resolvedPort() throws -> Int {
        guard let text = environment("HUB_PORT", given: port.map(String.init)) else { return 8080 }
        guard let value = Int(text), (0...65_535).contains(value) else {
            throw ValidationError(
                "the port must be a number from 0 to 65535 (got '\(text.prefix(20))' from --port or HUB_PORT)"
            )
        }
        return value
    }

    private func resolvedLogLevel() throws -> Logger.Level {
        guard let text = environment("LOG_LEVEL", given: logLevel) else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("unknown log level '\(text.prefix(20))'; use one of: \(names)")
        }
        return level
    }

    private func environment(_ name: String, given: String?) -> String? {
        given ?? ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// The buckets of a hub on PostgreSQL, shared by its processes.
extension PostgresRateLimiter: CredentialLimiter {}
