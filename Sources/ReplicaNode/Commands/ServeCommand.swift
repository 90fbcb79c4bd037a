import ArgumentParser
import Foundation
import Hummingbird
import Logging
import SyncCore
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
            """
    )

    @OptionGroup var options: NodeOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(help: "The TCP port on 127.0.0.1; 0 picks a free one.")
    var port = 8090

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
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
            try await app.runService()
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
