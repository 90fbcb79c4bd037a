import ArgumentParser
import PostgresHub
import SyncCore

/// `hub-server enroll`: issues a replica's credential, printed once and stored hashed.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enroll a replica under its commune and print its credential (shown once).",
        discussion: """
            At a national hub, '--relay PROVINCE' enrolls a provincial hub instead: it may push the \
            changes of its province's communes and pulls only those (and the national hub's own). \
            Give the provincial hub the credential with 'hub-server upstream sync' or \
            'serve --upstream'.
            """
    )

    /// The machine-readable output: `{"replica": …, "token": …}`.
    struct Output: Encodable {
        var replica: String
        var token: String
    }

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The replica's commune, one of 'hub-server commune list' (such as tamanar).")
    var commune: String?

    @Option(
        help: ArgumentHelp(
            "Enroll a provincial hub as the relay of this province (at a national hub), instead of --commune.",
            valueName: "province"
        )
    )
    var relay: String?

    @Option(help: "A label for people, such as \"Tamanar field laptop 2\".")
    var name: String?

    @Flag(help: "Print {\"replica\": ..., \"token\": ...} as JSON.")
    var json = false

    func validate() throws {
        if commune != nil, relay != nil {
            throw ValidationError(
                "give either --commune (a commune's replica) or --relay PROVINCE (a provincial hub), not both"
            )
        }
        if commune == nil, relay == nil {
            throw ValidationError(
                "missing --commune: give the replica's commune (see 'hub-server commune list'), "
                    + "or --relay PROVINCE to enroll a provincial hub"
            )
        }
        if let relay {
            do { try ReplicaStore.requireProvince(relay) } catch let error as SyncError {
                throw ValidationError("--relay: \(error.message)")
            }
        } else if let commune {
            do { try Territory.requireCode(commune, "commune") } catch let error as SyncError {
                throw ValidationError("--commune: \(error.message)")
            }
        }
        if let name, name.utf8.count > 200 || name.isEmpty {
            throw ValidationError("--name must be 1 to 200 bytes long")
        }
    }

    func run() async throws {
        try await Terminal.reportingAsyncErrors {
            let (enrollment, token): (Enrollment, String)
            switch try database.backend() {
            case .sqlite:
                let store = try database.open()
                (enrollment, token) =
                    if let relay {
                        try store.enroll(relay: relay, label: name ?? "\(relay) hub")
                    } else {
                        try store.enroll(commune: commune ?? "", label: name ?? "\(commune ?? "") replica")
                    }
            case .postgres(let url):
                let (commune, relay, name) = (commune, relay, name)
                (enrollment, token) = try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) {
                    store in
                    if let relay {
                        try await store.enroll(relay: relay, label: name ?? "\(relay) hub")
                    } else {
                        try await store.enroll(commune: commune ?? "", label: name ?? "\(commune ?? "") replica")
                    }
                }
            }
            if json {
                Terminal.write(try Terminal.json(Output(replica: enrollment.id, token: token)))
                return
            }
            if enrollment.kind == .relay {
                Terminal.write(
                    """
                    Enrolled the provincial hub \(enrollment.id) as the relay of \(enrollment.commune) (\(enrollment.label)).
                    Its credential, shown only this once (the hub keeps a hash of it):

                        \(token)

                    On the provincial hub, save it in a file readable only by the hub's user, then:
                    hub-server upstream sync --url URL --token-file FILE

                    """
                )
                return
            }
            Terminal.write(
                """
                Enrolled replica \(enrollment.id) for commune \(enrollment.commune) (\(enrollment.label)).
                Its credential, shown only this once (the hub keeps a hash of it):

                    \(token)

                On the replica, save it in a file readable only by you (such as office.token:
                umask 077; cat > office.token, paste, Ctrl-D), then:
                replica-node init --commune \(enrollment.commune) --hub URL --token-file office.token

                """
            )
        }
    }
}
