import ArgumentParser
import PostgresHub
import SyncCore

/// `hub-server rotate ID`: issues a new credential for an enrollment; the old one gets a 401.
struct RotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Issue a new credential for a replica (shown once); the old one is refused from then on."
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The replica's enrollment id, as printed by 'enroll' and 'replicas'.")
    var id: String

    @Flag(help: "Print {\"replica\": ..., \"token\": ...} as JSON.")
    var json = false

    func run() async throws {
        try await Terminal.reportingAsyncErrors {
            let token: String
            switch try database.backend() {
            case .sqlite:
                token = try database.openExisting().rotate(enrollment: id)
            case .postgres(let url):
                let id = id
                token = try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) { store in
                    try await store.rotate(enrollment: id)
                }
            }
            if json {
                Terminal.write(try Terminal.json(EnrollCommand.Output(replica: id, token: token)))
                return
            }
            Terminal.write(
                """
                New credential for replica \(id), shown only this once (the old one is refused from now on):

                    \(token)

                On the replica, save it in a file readable only by you (umask 077; cat > replica.token), then:
                replica-node init … --token-file replica.token

                """
            )
        }
    }
}
