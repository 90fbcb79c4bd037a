import ArgumentParser
import PostgresHub
import SyncCore

/// `hub-server commune add|list|rename`: the territory, as records that reach every replica.
struct CommuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commune",
        abstract: "Manage the territory: add, list and rename communes (no new build needed).",
        discussion: """
            Communes are replicated records (schema version 2): one added here can be enrolled at \
            once, and reaches every replica with its next sync. The three partner communes of the \
            province of Essaouira are known from the start. Adding and renaming need a SQLite hub.
            """,
        subcommands: [Add.self, List.self, Rename.self]
    )

    /// The names given on the command line.
    struct Names: ParsableArguments {
        @Option(name: .customLong("ar"), help: "The Arabic name.") var arabic: String?
        @Option(name: .customLong("fr"), help: "The French name.") var french: String?
        @Option(name: .customLong("zgh"), help: "The Tamazight name, in Tifinagh.") var tamazight: String?

        var names: CommuneNames { CommuneNames(arabic: arabic, french: french, tamazight: tamazight) }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a commune to the territory.")

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The commune's code: 2 to 64 lowercase letters, digits and dashes.") var code: String
        @Option(help: "Its province, such as essaouira-province.") var province = Territory.seedProvince
        @OptionGroup var names: Names

        func validate() throws {
            do {
                try Territory.requireCode(code, "commune")
                try Territory.requireCode(province, "province")
            } catch let error as SyncError {
                throw ValidationError(error.message)
            }
        }

        func run() throws {
            try Terminal.reportingErrors {
                let store = try database.open()
                try store.addCommune(Commune(id: code, province: province, names: names.names))
                Terminal.write(
                    "Added the commune \(code) (\(province)). Enroll its replicas with "
                        + "'hub-server enroll --commune \(code)'; the others learn it at their next sync.\n"
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the communes this hub knows.")

        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            try await Terminal.reportingAsyncErrors {
                let communes: [Commune]
                switch try database.backend() {
                case .sqlite: communes = try database.openExisting().communes()
                case .postgres(let url):
                    communes = try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) {
                        try await $0.communes()
                    }
                }
                if json {
                    Terminal.write(try Terminal.json(communes))
                    return
                }
                let lines = communes.map { commune in
                    let names = [commune.names.arabic, commune.names.french, commune.names.tamazight]
                        .compactMap { $0 }.joined(separator: " · ")
                    return "\(commune.id)\t\(commune.province)\t\(names)"
                }
                Terminal.write((["CODE\tPROVINCE\tNAMES"] + lines).joined(separator: "\n") + "\n")
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a commune's names; others stay.")

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The commune's code.") var code: String
        @OptionGroup var names: Names

        func run() throws {
            try Terminal.reportingErrors {
                try database.openExisting().renameCommune(code, names: names.names)
                Terminal.write("Renamed the commune \(code); the replicas show it at their next sync.\n")
            }
        }
    }
}
