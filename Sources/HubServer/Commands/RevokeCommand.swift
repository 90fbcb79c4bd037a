import ArgumentParser
import PostgresHub
import SyncCore

/// `hub-server revoke ID`: revokes a replica's credential; its next request gets a 401.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a replica's credential: its next request is refused."
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The replica's enrollment id, as printed by 'enroll' and 'replicas'.")
    var id: String

    func run() async throws {
        try await Terminal.reportingAsyncErrors {
            switch try database.backend() {
            case .sqlite:
                try database.openExisting().revoke(enrollment: id)
            case .postgres(let url):
                let id = id
                try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) { store in
                    try await store.revoke(enrollment: id)
                }
            }
            Terminal.write("Revoked replica \(id); its next request will be refused.\n")
        }
    }
}
