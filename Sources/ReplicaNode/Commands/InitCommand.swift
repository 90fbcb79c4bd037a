import ArgumentParser
import Foundation
import SyncCore

/// `init`: creates the database if needed and stores the commune, hub URL and credential.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Set up this replica: its commune, the hub it syncs with and its credential.",
        discussion: "Creates the database when missing and prints the replica's id. Run it again to change the hub URL "
            + "or the credential; a replica cannot change commune. The credential is read from a file "
            + "(--token-file) or standard input (--token-stdin), never from the command line."
    )

    @OptionGroup var options: NodeOptions

    @Option(help: "The commune, such as tamanar (one the hub knows: 'hub-server commune list').")
    var commune: String

    @Option(help: ArgumentHelp("The hub's base URL, such as http://hub.example:8080.", valueName: "url"))
    var hub: String

    @Option(
        help: ArgumentHelp(
            "A file holding the credential printed by 'hub-server enroll' or 'peer add' (esw1.…).",
            valueName: "path"
        )
    )
    var tokenFile: String?

    @Flag(help: "Read the credential from the first line of standard input.")
    var tokenStdin = false

    /// Only `--token -` (standard input) is accepted: a credential on the command line would be
    /// seen in the process list and kept in the shell's history.
    @Option(help: .hidden)
    var token: String?

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
        do { try Territory.requireCode(commune.lowercased(), "commune") } catch let error as SyncError {
            throw ValidationError(error.message)
        }
        guard NodeSettings.parseHubURL(hub) != nil else {
            throw ValidationError(
                "'\(hub)' is not a hub URL; give an http:// or https:// URL such as http://10.0.0.5:8080"
            )
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("cannot read the CA file '\(caFile)'; give the path of a PEM certificate")
        }
        if let token, token != "-" {
            throw ValidationError(
                "--token VALUE is not accepted: the credential would be seen in the process list and kept in the "
                    + "shell history; save it in a file readable by you only and give --token-file PATH, or pipe it "
                    + "with --token-stdin"
            )
        }
        let sources = [tokenFile != nil, tokenStdin || token == "-"].filter { $0 }.count
        guard sources == 1 else {
            throw ValidationError(
                sources == 0
                    ? "give the credential with --token-file PATH (a file holding the esw1.… token printed by "
                        + "'hub-server enroll') or --token-stdin"
                    : "give the credential once: --token-file PATH or --token-stdin, not both"
            )
        }
    }

    func run() async throws {
        // The credential is read and checked before the database is created or touched.
        let token: String
        do {
            token = try tokenFile.map(TokenFile.read) ?? TokenFile.readStandardInput()
            try await CommuneCheck.prepare(
                commune.lowercased(),
                at: options.db,
                schema: try Schema.running(),
                hub: NodeSettings.parseHubURL(hub)!,
                token: token,
                caFile: caFile
            )
        } catch {
            throw options.reported(error)
        }
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
