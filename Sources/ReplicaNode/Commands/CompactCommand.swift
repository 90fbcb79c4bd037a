import ArgumentParser
import SyncCore

/// `compact`: removes the change-log entries that no longer carry any value, and optionally gives
/// the space back to the file system.
struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Remove change-log entries whose every value was superseded (the data does not change).",
        discussion: """
            An entry goes when no shown or concurrent value comes from its change any more, it is older \
            than --keep-days, and it is not the newest entry of its replica for that record. The record \
            history then no longer lists those superseded edits. Digest and sync state do not change. \
            Safe while the daemon runs; --vacuum rewrites the file and blocks writes while it runs.
            """
    )

    @OptionGroup var options: NodeOptions

    @Option(help: ArgumentHelp("Keep superseded entries younger than this many days (0 to 36500).", valueName: "n"))
    var keepDays = ReplicaStore.defaultLogRetentionDays

    @Flag(help: "Then run SQLite's VACUUM to give the freed space back to the file system.")
    var vacuum = false

    func validate() throws {
        guard CompactionReport.keepDaysRange.contains(keepDays) else {
            throw ValidationError("--keep-days must be a whole number of days between 0 and 36500, not \(keepDays)")
        }
    }

    func run() throws {
        try options.perform { store in
            let report = try store.compact(keepDays: keepDays, vacuum: vacuum)
            try options.emit(report) { report.text }
        }
    }
}
