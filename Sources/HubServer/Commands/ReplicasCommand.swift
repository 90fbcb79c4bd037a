import ArgumentParser
import SyncCore

/// `hub-server replicas`: lists the enrolled replicas with their last sync, lag and digest state.
struct ReplicasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicas",
        abstract: "List enrolled replicas: commune, last sync, lag behind the hub, digest match, revoked."
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print a JSON array.")
    var json = false

    func run() throws {
        try Terminal.reportingErrors {
            let store = try database.openExisting()
            let reports = try store.enrollments().map { try ReplicaReport($0, store: store) }
            Terminal.write(json ? try Terminal.json(reports) : ReplicaReport.table(reports))
        }
    }
}
