import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOSSL
import ServiceLifecycle
import SyncCore
import SyncHTTP
import UnixSignals
import WebUI

/// `serve`: the office's pages in a browser on this machine, with no network needed.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the office's pages on this machine only (http://127.0.0.1:8090), with no network needed.",
        discussion: """
            Proposals, comments, supports, events, attendance, conflicts and the sync status, in Arabic or \
            French. The server listens on 127.0.0.1 only and has no sign-in; every form carries an \
            anti-forgery token, forms sent from another site are refused, and requests for another host name \
            than 127.0.0.1, localhost or an --allowed-host are answered 421. 'Sync now' runs one exchange with \
            the hub set by 'init'. Connections silent for --idle-timeout seconds are closed. Stops on SIGTERM or SIGINT.

            With --sync-listen HOST:PORT the office also answers the sync protocol (/v1/hello, /v1/pull, \
            /v1/push, the hub's messages) on that address, so its field laptops sync with it with no hub: \
            'replica-node sync --peer http://OFFICE:PORT --token-file F' on the laptop, with a credential \
            from 'replica-node peer add'. Off unless asked; the clerk pages stay on 127.0.0.1. With \
            --sync-tls-cert and --sync-tls-key the endpoints serve HTTPS (laptops then sync with \
            'https://OFFICE:PORT' and '--ca-file').
            """
    )

    @OptionGroup var options: NodeOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The TCP port on 127.0.0.1; 0 picks a free one.")
    var port = 8090

    @Option(
        help: ArgumentHelp(
            "Also answer the sync protocol for this office's laptops on HOST:PORT (such as 0.0.0.0:8091). Off by default.",
            valueName: "host:port"
        )
    )
    var syncListen: String?

    @Option(help: "Requests one laptop's credential may send per minute on --sync-listen; more are answered 429.")
    var syncRateLimit = OfficeSyncServer.defaultRateLimit

    @Option(help: "Requests without a valid credential one address may send per minute on --sync-listen.")
    var syncUnauthenticatedRateLimit = 60

    @Option(help: ArgumentHelp("Serve --sync-listen over HTTPS with this PEM certificate chain.", valueName: "pem"))
    var syncTlsCert: String?

    @Option(help: ArgumentHelp("The PEM private key of --sync-tls-cert.", valueName: "pem"))
    var syncTlsKey: String?

    @Option(
        help: ArgumentHelp(
            "Another name the pages and --sync-listen answer to, such as office.local (repeatable).",
            valueName: "name"
        )
    )
    var allowedHost: [String] = []

    @Option(help: ArgumentHelp("Close a connection silent for this many seconds.", valueName: "seconds"))
    var idleTimeout = 30

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if let syncListen, OfficeSyncServer.parseListen(syncListen) == nil {
            throw ValidationError(
                "--sync-listen must be HOST:PORT, such as 0.0.0.0:8091 (got '\(syncListen.prefix(60))')"
            )
        }
        guard (1...1_000_000).contains(syncRateLimit) else {
            throw ValidationError("--sync-rate-limit must be between 1 and 1000000 requests a minute")
        }
        guard (1...1_000_000).contains(syncUnauthenticatedRateLimit) else {
            throw ValidationError("--sync-unauthenticated-rate-limit must be between 1 and 1000000 requests a minute")
        }
        guard (syncTlsCert == nil) == (syncTlsKey == nil) else {
            throw ValidationError(
                "--sync-tls-cert and --sync-tls-key go together: give both to serve HTTPS, or neither"
            )
        }
        if syncTlsCert != nil, syncListen == nil {
            throw ValidationError(
                "--sync-tls-cert serves the --sync-listen endpoints: give --sync-listen HOST:PORT too"
            )
        }
        guard (1...3_600).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be between 1 and 3600 seconds (got \(idleTimeout))")
        }
        for name in allowedHost where AllowedHosts.hostName(ofAuthority: name) == nil {
            throw ValidationError(
                "--allowed-host '\(name.prefix(60))' is not a host name; give one such as office.local"
            )
        }
    }

    func run() async throws {
        try await options.performAsync { store in
            var logger = Logger(label: "replica-node")
            logger.logLevel = .notice
            let site = SiteGuard(hosts: AllowedHosts(listeningOn: "127.0.0.1", extra: allowedHost))
            let router = ClerkRouter(store: store, hooks: hooks(for: store), site: site).makeRouter()
            let app = Application(
                router: router,
                server: ListenerSettings(idleTimeout: .seconds(idleTimeout)).makeServer(),
                configuration: ApplicationConfiguration(
                    address: .hostname("127.0.0.1", port: port),
                    serverName: "replica-node"
                ),
                onServerRunning: { channel in
                    Console.line("replica-node serving http://127.0.0.1:\(channel.localAddress?.port ?? port)")
                },
                logger: logger
            )
            guard let listen = syncListen.flatMap(OfficeSyncServer.parseListen) else {
                try await app.runService()
                return
            }
            _ = try NodeSettings.commune(of: store)
            var office = OfficeSyncServer(store: store, host: listen.host, port: listen.port)
            office.rateLimit = syncRateLimit
            office.unauthenticatedRateLimit = syncUnauthenticatedRateLimit
            office.allowedHosts = allowedHost
            office.listener = ListenerSettings(idleTimeout: .seconds(idleTimeout), tls: try loadSyncTLS())
            let group = ServiceGroup(
                services: [app, office.makeApplication(logger: logger)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
            try await group.run()
        }
    }

    private func loadSyncTLS() throws -> TLSConfiguration? {
        guard let syncTlsCert, let syncTlsKey else { return nil }
        return try ListenerSettings.loadTLS(certificatePath: syncTlsCert, keyPath: syncTlsKey)
    }

    /// What the pages need from this program: the settings written by `init`, and one exchange.
    private func hooks(for store: ReplicaStore) -> ClerkHooks {
        let connection = connection
        return ClerkHooks(
            commune: { try? NodeSettings.commune(of: store) },
            hubName: { (try? NodeSettings.load(from: store))?.hubName },
            synchronize: {
                do {
                    return .synced(try await connection.makeSync(store).run())
                } catch {
                    let failure = CommandFailure.wrapping(error)
                    switch failure.code {
                    case SyncError.Code.transport.description: return .unreachable(failure.message)
                    case "not-initialized": return .notSetUp(failure.message)
                    default: return .failed(failure.message)
                    }
                }
            }
        )
    }
}
