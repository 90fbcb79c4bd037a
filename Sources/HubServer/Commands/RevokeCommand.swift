import ArgumentParser
import SyncCore

/// `hub-server revoke ID`: revokes a replica's credential; its next request gets a 401.
struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a replica's credential: its next request is refused."
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The replica's enrollment id, as printed by 'enroll' and 'replicas'.")
    var id: String

    func run() throws {
        try Terminal.reportingErrors {
            let store = try database.openExisting()
            try store.revoke(enrollment: id)
            Terminal.write("Revoked replica \(id); its next request will be refused.\n")
        }
    }
}
