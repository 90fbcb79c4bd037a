import ArgumentParser
import Foundation
import SyncCore

/// `init`: creates the database if needed and stores the commune, hub URL and credential.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Set up this replica: its commune, the hub it syncs with and its credential.",
        discussion: "Creates the database when missing and prints the replica's id. Run it again to change the hub URL "
            + "or the credential; a replica cannot change commune."
    )

    @OptionGroup var options: NodeOptions

    @Option(help: "The commune: \(Schema.communes.sorted().joined(separator: ", ")).")
    var commune: String

    @Option(help: ArgumentHelp("The hub's base URL, such as http://hub.example:8080.", valueName: "url"))
    var hub: String

    @Option(help: ArgumentHelp("The credential printed by 'hub-server enroll' (esw1.…).", valueName: "token"))
    var token: String

    @Option(
        help: ArgumentHelp(
            "A PEM file of the provincial CA that issued the hub's certificate, trusted instead of the system's CAs.",
            valueName: "pem"
        )
    )
    var caFile: String?

    private struct Summary: Encodable {
        var replica: String
        var commune: String
        var hub: String
    }

    func validate() throws {
        guard Schema.communes.contains(commune.lowercased()) else {
            throw ValidationError(
                "unknown commune '\(commune)'; use one of: \(Schema.communes.sorted().joined(separator: ", "))"
            )
        }
        guard NodeSettings.parseHubURL(hub) != nil else {
            throw ValidationError(
                "'\(hub)' is not a hub URL; give an http:// or https:// URL such as http://10.0.0.5:8080"
            )
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("cannot read the CA file '\(caFile)'; give the path of a PEM certificate")
        }
        guard NodeSettings.isWellFormedToken(token) else {
            throw ValidationError(
                "the token does not look like a credential from 'hub-server enroll' (esw1.<id>.<secret>); copy it whole"
            )
        }
    }

    func run() throws {
        try options.perform(creating: true) { store in
            let settings = NodeSettings(
                commune: commune.lowercased(),
                hub: NodeSettings.parseHubURL(hub)!,
                token: token,
                caFile: caFile.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            )
            if let existing = try store.setting(NodeSettings.communeKey), existing != settings.commune {
                throw CommandFailure(
                    code: "invalid-argument",
                    message:
                        "the replica at \(options.db) belongs to \(existing) and cannot move to \(settings.commune); "
                        + "use another --db for a replica of \(settings.commune)",
                    exitCode: CommandFailure.dataError
                )
            }
            try settings.save(to: store)
            let summary = Summary(replica: store.replicaID.rawValue, commune: settings.commune, hub: settings.hubName)
            try options.emit(summary) { summary.replica }
        }
    }
}
