import ArgumentParser
import Logging
import ServiceLifecycle
import SyncCore
import SyncHTTP
import UnixSignals

/// `daemon [--interval SECONDS]`: periodic sync until SIGTERM or SIGINT.
struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Sync with the hub periodically, for as long as it runs.",
        discussion: """
            Syncs at once, then every --interval seconds. While the hub is unreachable it waits longer after \
            each failure (exponential backoff with jitter, up to --max-backoff), and returns to the interval after \
            the first success. Logs each attempt on the standard error. Stops cleanly on SIGTERM or SIGINT. \
            Reads the hub URL and credential before each attempt, so 'init' with a new token needs no restart.
            """
    )

    @OptionGroup var options: NodeOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(help: ArgumentHelp("Seconds between exchanges while the hub answers.", valueName: "seconds"))
    var interval = 60

    @Option(help: ArgumentHelp("The longest wait after failures, in seconds.", valueName: "seconds"))
    var maxBackoff = 900

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        guard interval >= 1 else { throw ValidationError("--interval must be at least 1 second") }
        guard maxBackoff >= 1 else { throw ValidationError("--max-backoff must be at least 1 second") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'; use trace, debug, info, notice, warning or error")
        }
    }

    func run() async throws {
        try await options.performAsync { store in
            let settings = try NodeSettings.load(from: store)
            let level = Logger.Level(rawValue: logLevel) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
            var logger = Logger(label: "replica-node")
            logger[metadataKey: "replica"] = "\(store.replicaID)"
            logger[metadataKey: "hub"] = "\(settings.hubName)"
            let sync = connection.makeSync(store)
            let daemon = SyncDaemon(
                interval: .seconds(interval),
                backoff: Backoff(initial: .seconds(interval), maximum: .seconds(max(interval, maxBackoff))),
                clock: ContinuousClock(),
                logger: logger,
                warning: { ReplicaSync.clockWarning(offsetMillis: $0.clockOffsetMillis) },
                describe: { error in
                    let failure = CommandFailure.wrapping(error)
                    return (failure.code, failure.message)
                }
            ) { try await sync.run() }
            let group = ServiceGroup(
                services: [daemon],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
            try await group.run()
        }
    }
}
