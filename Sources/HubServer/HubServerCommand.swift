import ArgumentParser

/// `hub-server`: the provincial hub of the Essaouira participation portal.
@main
struct HubServerCommand: AsyncParsableCommand {
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
            CommuneCommand.self,
            UpstreamCommand.self,
        ]
    )
}
