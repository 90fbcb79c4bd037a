import ArgumentParser
import SyncCore

/// `hub-server enroll`: issues a replica's credential, printed once and stored hashed.
struct EnrollCommand: ParsableCommand {
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

    func run() throws {
        try Terminal.reportingErrors {
            let store = try database.open()
            let (enrollment, token) = try store.enroll(commune: commune, label: name ?? "\(commune) replica")
            if json {
                Terminal.write(try Terminal.json(Output(replica: enrollment.id, token: token)))
                return
            }
            Terminal.write(
                """
                Enrolled replica \(enrollment.id) for commune \(enrollment.commune) (\(enrollment.label)).
                Its credential, shown only this once (the hub keeps a hash of it):

                    \(token)

                On the replica: replica-node init --commune \(enrollment.commune) --hub URL --token \(token)

                """
            )
        }
    }
}
