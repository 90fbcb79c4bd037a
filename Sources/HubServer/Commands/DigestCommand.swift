import ArgumentParser
import PostgresHub
import SyncCore

/// `hub-server digest`: prints the digest of the hub's merged state.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the digest of the hub's merged state (equal on replicas that have exchanged everything)."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        try await Terminal.reportingAsyncErrors {
            switch try database.backend() {
            case .sqlite:
                Terminal.write(try database.openExisting().digest() + "\n")
            case .postgres(let url):
                let digest = try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) { store in
                    try await store.digest()
                }
                Terminal.write(digest + "\n")
            }
        }
    }
}
