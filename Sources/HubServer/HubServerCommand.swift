import ArgumentParser
import SyncHTTP

/// `hub-server`: the provincial hub of the Essaouira participation portal.
@main
struct HubServerCommand: AsyncParsableCommand {
    /// Parses the command line and runs the command, as ArgumentParser does, once the allocator
    /// is set to keep the buffers of one batch for the next (see ``MemoryTuning``).
    static func main() async {
        MemoryTuning.keepBatchBuffers()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "hub-server",
        abstract:
            "The provincial hub: serves the sync protocol to the communes' replicas and manages their credentials.",
        discussion: """
            The hub's state is a replica database (default ./hub.sqlite, or $HUB_DB). Replicas \
            reconcile with it over HTTP (see Docs/PROTOCOL.md); each replica holds a credential \
            issued by 'hub-server enroll'.
            """,
        subcommands: [
            ServeCommand.self,
            EnrollCommand.self,
            ReplicasCommand.self,
            RevokeCommand.self,
            RotateCommand.self,
            DigestCommand.self,
            ExportCommand.self,
            CompactCommand.self,
            UserCommand.self,
            UpstreamCommand.self,
        ]
    )
}
