import ArgumentParser
import PostgresHub
import SyncCore

/// `hub-server compact`: removes the change-log entries of the hub that no longer carry any
/// value, on either backend, and on SQLite optionally gives the space back to the file system.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Remove change-log entries whose every value was superseded (the data does not change).",
        discussion: """
            An entry goes when no shown or concurrent value comes from its change any more, it is older \
            than --keep-days, and it is not the newest entry of its replica for that record (relays need \
            it). The record history then no longer lists those superseded edits. Safe while 'serve' runs; \
            --vacuum rewrites a SQLite file and blocks pushes while it runs; PostgreSQL reuses the freed \
            space by itself (autovacuum), so --vacuum is refused there.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Keep superseded entries younger than this many days (0 to 36500).", valueName: "n"))
    var keepDays = ReplicaStore.defaultLogRetentionDays

    @Flag(help: "Then run SQLite's VACUUM to give the freed space back to the file system.")
    var vacuum = false

    @Flag(help: "Print machine-readable JSON instead of text.")
    var json = false

    func validate() throws {
        guard CompactionReport.keepDaysRange.contains(keepDays) else {
            throw ValidationError("--keep-days must be a whole number of days between 0 and 36500, not \(keepDays)")
        }
    }

    func run() async throws {
        try await Terminal.reportingAsyncErrors {
            let report: CompactionReport
            switch try database.backend() {
            case .sqlite:
                report = try database.openExisting().compact(keepDays: keepDays, vacuum: vacuum)
            case .postgres(let url):
                guard !vacuum else {
                    throw SyncError(
                        .invalidArgument,
                        "--vacuum is for a SQLite hub; PostgreSQL reuses the freed space by itself (autovacuum): "
                            + "run 'compact' without it"
                    )
                }
                let days = keepDays
                report = try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) { store in
                    try await store.compact(keepDays: days)
                }
            }
            if json {
                Terminal.write(try Terminal.json(report))
            } else {
                Terminal.write(report.text + "\n")
            }
        }
    }
}
