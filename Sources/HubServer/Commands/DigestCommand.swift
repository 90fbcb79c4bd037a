import ArgumentParser
import SyncCore

/// `hub-server digest`: prints the digest of the hub's merged state.
struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the digest of the hub's merged state (equal on replicas that have exchanged everything)."
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try Terminal.reportingErrors {
            Terminal.write(try database.openExisting().digest() + "\n")
        }
    }
}
