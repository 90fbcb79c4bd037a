import ArgumentParser
import Foundation
import SyncCore

/// The `--db PATH` option every command takes, defaulting to `$HUB_DB`, then `./hub.sqlite`.
struct DatabaseOptions: ParsableArguments {
    /// The default database file.
    static let defaultPath = "./hub.sqlite"

    @Option(name: .customLong("db"), help: "The hub's database file (default: $HUB_DB, else ./hub.sqlite).")
    var path: String?

    /// The path given, or the environment's, or the default.
    var resolvedPath: String {
        path ?? ProcessInfo.processInfo.environment["HUB_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultPath
    }

    /// Opens the hub's database, creating it when missing.
    ///
    /// - Returns: The store.
    /// - Throws: ``SyncError`` when the file cannot be opened.
    func open() throws -> ReplicaStore {
        try ReplicaStore(path: resolvedPath)
    }

    /// Opens an existing hub database; a missing file is an error instead of a new empty hub.
    ///
    /// - Returns: The store.
    /// - Throws: ``SyncError`` when the file is missing or cannot be opened.
    func openExisting() throws -> ReplicaStore {
        guard FileManager.default.fileExists(atPath: resolvedPath) else {
            throw SyncError(
                .invalidArgument,
                "no hub database at \(resolvedPath); pass --db PATH (or set HUB_DB), or run 'hub-server serve' or 'enroll' first"
            )
        }
        return try open()
    }
}
