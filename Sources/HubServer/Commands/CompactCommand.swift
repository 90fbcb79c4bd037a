import ArgumentParser
import SyncCore

/// `hub-server compact`: removes the change-log entries of a SQLite hub that no longer carry any
/// value, and optionally gives the space back to the file system.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Remove change-log entries whose every value was superseded (SQLite hub; the data does not change).",
        discussion: """
            An entry goes when no shown or concurrent value comes from its change any more, it is older \
            than --keep-days, and it is not the newest entry of its replica for that record (relays need \
            it). The record history then no longer lists those superseded edits. Safe while 'serve' runs; \
            --vacuum rewrites the file and blocks pushes while it runs. A PostgreSQL hub is not compacted \
            by this command.
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
        try Terminal.reportingErrors {
            if case .postgres = try database.backend() {
                throw SyncError(
                    .invalidArgument,
                    "'compact' works on a SQLite hub (--db) only; a PostgreSQL hub's change log is not compacted "
                        + "by this command (see Docs/OPERATIONS.md)"
                )
            }
            let report = try database.openExisting().compact(keepDays: keepDays, vacuum: vacuum)
            if json {
                Terminal.write(try Terminal.json(report))
            } else {
                Terminal.write(report.text + "\n")
            }
        }
    }
}
