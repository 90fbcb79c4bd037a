import ArgumentParser
import SyncCore

/// `hub-server enroll`: issues a replica's credential, printed once and stored hashed.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enroll a replica under its commune and print its credential (shown once)."
    )

    /// The machine-readable output: `{"replica": …, "token": …}`.
    struct Output: Encodable {
        var replica: String
        var token: String
    }

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The replica's commune: \(Schema.communes.sorted().joined(separator: ", ")).")
    var commune: String

    @Option(help: "A label for people, such as \"Tamanar field laptop 2\".")
    var name: String?

    @Flag(help: "Print {\"replica\": ..., \"token\": ...} as JSON.")
    var json = false

    func validate() throws {
        guard Schema.communes.contains(commune) else {
            throw ValidationError(
                "unknown commune '\(commune.prefix(40))'; use one of: \(Schema.communes.sorted().joined(separator: ", "))"
            )
        }
        if let name, name.utf8.count > 200 || name.isEmpty {
            throw ValidationError("--name must be 1 to 200 bytes long")
        }
    }

    func run() async throws {
        let label = name ?? "\(commune) replica"
        try await Terminal.reportingAsyncErrors {
            let (id, token): (String, String)
            switch try database.backend() {
            case .sqlite:
                let made = try database.open().enroll(commune: commune, label: label)
                (id, token) = (made.enrollment.id, made.token)
            case .postgres(let url):
                let commune = commune
                (id, token) = try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) { store in
                    try await store.enroll(commune: commune, label: label)
                }
            }
            if json {
                Terminal.write(try Terminal.json(Output(replica: id, token: token)))
                return
            }
            Terminal.write(
                """
                Enrolled replica \(id) for commune \(commune) (\(label)).
                Its credential, shown only this once (the hub keeps a hash of it):

                    \(token)

                On the replica: replica-node init --commune \(commune) --hub URL --token \(token)

                """
            )
        }
    }
}
