import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SyncCore
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
            anti-forgery token. 'Sync now' runs one exchange with the hub set by 'init'. Stops on SIGTERM or SIGINT.

            With --sync-listen HOST:PORT the office also answers the sync protocol (/v1/hello, /v1/pull, \
            /v1/push, the hub's messages) on that address, so its field laptops sync with it with no hub: \
            'replica-node sync --peer http://OFFICE:PORT --token-file F' on the laptop, with a credential \
            from 'replica-node peer add'. Off unless asked; the clerk pages stay on 127.0.0.1.
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
    }

    func run() async throws {
        try await options.performAsync { store in
            var logger = Logger(label: "replica-node")
            logger.logLevel = .notice
            let router = ClerkRouter(store: store, hooks: hooks(for: store)).makeRouter()
            let app = Application(
                router: router,
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
            let group = ServiceGroup(
                services: [app, office.makeApplication(logger: logger)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
            try await group.run()
        }
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
