import ArgumentParser
import PostgresHub
import SyncCore

/// `hub-server export --format json`: streams the canonical JSON of the merged state to stdout.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the canonical export of the hub's merged state.",
        discussion: """
            The bytes are exactly the canonical export (a newline is added only on \
            a terminal); 'hub-server export | scripts/digest-from-export.py' recomputes the digest.
            """
    )

    /// The export formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
    }

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The format: json.")
    var format: Format = .json

    /// Bytes gathered before each write to standard output.
    static let chunkSize = 64 * 1_024

    func run() async throws {
        try await Terminal.reportingAsyncErrors {
            switch try database.backend() {
            case .sqlite:
                let store = try database.openExisting()
                var pending: [UInt8] = []
                pending.reserveCapacity(Self.chunkSize)
                try store.exportCanonicalJSON { bytes in
                    pending.append(contentsOf: bytes)
                    if pending.count >= Self.chunkSize {
                        Terminal.write(bytes: pending)
                        pending.removeAll(keepingCapacity: true)
                    }
                }
                Terminal.write(bytes: pending)
            case .postgres(let url):
                try await DatabaseOptions.withPostgres(url, logger: Terminal.quietLogger) { store in
                    try await store.exportCanonicalJSON { Terminal.write(bytes: $0) }
                }
            }
            if Terminal.isInteractive { Terminal.write("\n") }
        }
    }
}
