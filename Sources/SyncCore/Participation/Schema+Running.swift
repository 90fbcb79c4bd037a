import Foundation

extension Schema {
    /// The environment variable that makes `replica-node` and `hub-server` speak an earlier
    /// version of the participation schema, from its history: `ESSAOUIRA_SCHEMA_VERSION=1`.
    ///
    /// It exists so that the tests of mixed versions run a real process on version 1 with this
    /// build (the release before schema versioning cannot keep newer fields, see
    /// Docs/UPGRADING.md). A program on an earlier version refuses a file already migrated
    /// past it, as any older program does.
    package static let versionVariable = "ESSAOUIRA_SCHEMA_VERSION"

    /// The participation schema a program runs: the latest, or the version the environment names.
    ///
    /// - Parameter environment: The process's environment.
    /// - Returns: The schema.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` for a version the history
    ///   does not have.
    package static func running(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Schema {
        guard let text = environment[versionVariable], !text.isEmpty else { return .participation }
        guard let version = Int(text), (1...participation.version).contains(version) else {
            throw SyncError(
                .invalidArgument,
                "\(versionVariable) must be a schema version from 1 to \(participation.version) (got '\(text.prefix(20))')"
            )
        }
        return participation.atVersion(version)
    }
}
