import ArgumentParser
import PostgresHub
import SyncCore

/// `hub-server replicas`: lists the enrolled replicas with their last sync, lag and digest state.
struct ReplicasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replicas",
        abstract:
            "List enrolled replicas: commune, last sync, lag behind the hub, digest match, versions (who must upgrade), revoked."
    )

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Print a JSON array.")
    var json = false

    func run() async throws {
        try await Terminal.reportingAsyncErrors {
            let reports: [ReplicaReport]
            switch try database.backend() {
            case .sqlite:
                let store = try database.openExisting()
                let versions = try store.replicaVersions()
                reports = try store.enrollments().map { try ReplicaReport($0, store: store, versions: versions[$0.id]) }
            case .postgres(let url):
                reports = try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) { store in
                    var reports: [ReplicaReport] = []
                    let versions = try await store.replicaVersions()
                    for enrollment in try await store.enrollments() {
                        let lag = try await store.pendingChangeCount(since: enrollment.lastVector ?? VersionVector())
                        reports.append(
                            ReplicaReport(
                                enrollment,
                                lag: lag,
                                versions: versions[enrollment.id],
                                hubSchema: store.schema.version
                            )
                        )
                    }
                    return reports
                }
            }
            Terminal.write(json ? try Terminal.json(reports) : ReplicaReport.table(reports))
        }
    }
}
