import ArgumentParser
import SyncCore

/// `export --format json|csv`: the merged state, for checks and spreadsheets.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the merged state to the standard output.",
        discussion: "json: the canonical export, streamed, byte for byte what the digest is computed from (the same "
            + "bytes on every replica that has exchanged everything). csv: one row per proposal with the columns "
            + ProposalCSV.exportHeader.joined(separator: ", ") + "."
    )

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case json
        case csv
    }

    @OptionGroup var options: NodeOptions

    @Option(help: "json (canonical) or csv (proposals).")
    var format: Format

    func run() throws {
        try options.perform { store in
            switch format {
            case .json:
                try store.exportCanonicalJSON { chunk in Console.write(chunk) }
                if Console.isTerminal(.standardOutput) { Console.write("\n") }
            case .csv:
                Console.write(ProposalCSV.line(ProposalCSV.exportHeader))
                for proposal in try store.proposals().sorted(by: { $0.id < $1.id }) {
                    Console.write(ProposalCSV.line(for: proposal))
                }
            }
        }
    }
}

/// `digest`: the state digest, to compare with other replicas and the hub.
struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the digest of the merged state (scripts/digest-from-export.py recomputes it from an export).",
        discussion: "Two replicas that have exchanged everything print the same digest."
    )

    @OptionGroup var options: NodeOptions

    private struct Digest: Encodable {
        var replica: String
        var digest: String
    }

    func run() throws {
        try options.perform { store in
            let digest = try store.digest()
            try options.emit(Digest(replica: store.replicaID.rawValue, digest: digest)) { digest }
        }
    }
}
