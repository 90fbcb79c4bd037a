import ArgumentParser

/// `replica-node`: a commune's replica of the participation data, usable with no network, that
/// reconciles with the provincial hub whenever a link is up.
@main
struct ReplicaNodeCommand: AsyncParsableCommand {
    /// The version of this program, also sent to the hub as its user agent.
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "replica-node",
        abstract: "A commune's replica of the Essaouira participation data: works offline, syncs with the hub.",
        discussion: """
            Every command takes --db PATH (default ./replica.sqlite) and --json for machine-readable output.
            Start with 'replica-node init --commune NAME --hub URL --token-file FILE'.

            Exit status: 0 success; 64 bad arguments; 65 invalid data; 66 record or file not found; \
            74 database error; 75 hub unreachable or failing (local writes are safe: try again later); \
            76 protocol or schema mismatch (upgrade); 77 not allowed (credential refused, or not the \
            comment's author); 78 not set up, or this machine's clock is wrong.
            """,
        version: version,
        subcommands: [
            InitCommand.self,
            ProposalCommand.self,
            CommentCommand.self,
            SupportCommand.self,
            EventCommand.self,
            AttendanceCommand.self,
            ImportCommand.self,
            ConflictsCommand.self,
            SyncCommand.self,
            DaemonCommand.self,
            StatusCommand.self,
            ExportCommand.self,
            DigestCommand.self,
            ServeCommand.self,
            PeerCommand.self,
            BundleCommand.self,
            CompactCommand.self,
        ]
    )
}
