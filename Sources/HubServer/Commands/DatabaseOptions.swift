import ArgumentParser
import Foundation
import Logging
import PostgresHub
import PostgresNIO
import SyncCore

/// The `--db PATH` or `--postgres URL` option every command takes: exactly one of the two,
/// defaulting to `$HUB_DB` or `$HUB_POSTGRES`, then `./hub.sqlite`.
struct DatabaseOptions: ParsableArguments {
    /// The default database file.
    static let defaultPath = "./hub.sqlite"

    @Option(name: .customLong("db"), help: "The hub's SQLite database file (default: $HUB_DB, else ./hub.sqlite).")
    var path: String?

    @Option(
        name: .customLong("postgres"),
        help: ArgumentHelp(
            "Keep the hub's state in PostgreSQL instead (default: $HUB_POSTGRES), such as postgres://hub@db/hub.",
            valueName: "url"
        )
    )
    var postgres: String?

    /// Where the hub keeps its state.
    enum Backend {
        /// A SQLite file.
        case sqlite(String)
        /// A PostgreSQL database.
        case postgres(PostgresURL)
    }

    func validate() throws {
        _ = try backend()
    }

    /// The backend the options and the environment name: a flag wins over the environment;
    /// naming both is an error.
    ///
    /// - Returns: The backend.
    /// - Throws: `ValidationError` when both are named or the URL is malformed.
    func backend() throws -> Backend {
        let environment = ProcessInfo.processInfo.environment
        func named(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        let (file, url): (String?, String?)
        if path != nil || postgres != nil {
            (file, url) = (path, postgres)
        } else {
            (file, url) = (named("HUB_DB"), named("HUB_POSTGRES"))
        }
        switch (file, url) {
        case (_?, _?):
            throw ValidationError(
                "give either --db (HUB_DB) for a SQLite hub or --postgres (HUB_POSTGRES) for a PostgreSQL hub, not both"
            )
        case (nil, let url?):
            do {
                return .postgres(try PostgresURL(url))
            } catch let error as SyncError {
                throw ValidationError("--postgres: \(error.message)")
            }
        case (let file, nil):
            return .sqlite(file ?? Self.defaultPath)
        }
    }

    /// The SQLite path given, or the environment's, or the default.
    var resolvedPath: String {
        if case .sqlite(let path)? = try? backend() { return path }
        return Self.defaultPath
    }

    /// Opens the hub's SQLite database, creating it when missing (with pages of
    /// ``ReplicaStore/hubPageSize``).
    ///
    /// - Returns: The store.
    /// - Throws: ``SyncError`` when the file cannot be opened, or when the hub is on PostgreSQL
    ///   and the command works on SQLite only.
    func open() throws -> ReplicaStore {
        try requireSQLite()
        for warning in PrivateFile.tighten(databaseAt: resolvedPath) { Terminal.warn(warning) }
        return try ReplicaStore(path: resolvedPath, schema: try Schema.running(), pageSize: ReplicaStore.hubPageSize)
    }

    /// Opens an existing hub database; a missing file is an error instead of a new empty hub.
    ///
    /// - Returns: The store.
    /// - Throws: ``SyncError`` when the file is missing or cannot be opened.
    func openExisting() throws -> ReplicaStore {
        try requireSQLite()
        guard FileManager.default.fileExists(atPath: resolvedPath) else {
            throw SyncError(
                .invalidArgument,
                "no hub database at \(resolvedPath); pass --db PATH (or set HUB_DB), or run 'hub-server serve' or 'enroll' first"
            )
        }
        return try open()
    }

    /// Runs `body` with the dashboard's accounts of whichever backend the options name.
    ///
    /// - Parameters:
    ///   - existing: Refuse a missing SQLite file instead of creating a new hub.
    ///   - body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: ``SyncError`` when the database cannot be opened; what `body` threw.
    func withAccounts<Value: Sendable>(
        existing: Bool = true,
        _ body: @Sendable (any AccountStore) async throws -> Value
    ) async throws -> Value {
        switch try backend() {
        case .sqlite:
            return try await body(try SQLiteAccountStore(try existing ? openExisting() : open()))
        case .postgres(let url):
            return try await Self.withPostgres(url, logger: Terminal.quietLogger) { store in
                try await body(try await PostgresAccountStore.open(store))
            }
        }
    }

    /// Runs `body` with the hub's store of whichever backend the options name.
    ///
    /// - Parameters:
    ///   - existing: Refuse a missing SQLite file instead of creating a new hub.
    ///   - body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: ``SyncError`` when the database cannot be opened; what `body` threw.
    func withStore<Value: Sendable>(
        existing: Bool = true,
        _ body: @Sendable (any SyncClientStore & EnrollmentRegistry) async throws -> Value
    ) async throws -> Value {
        switch try backend() {
        case .sqlite:
            return try await body(try existing ? openExisting() : open())
        case .postgres(let url):
            return try await Self.withPostgres(url, logger: Terminal.quietLogger) { store in try await body(store) }
        }
    }

    private func requireSQLite() throws {
        guard case .postgres = try backend() else { return }
        throw SyncError(
            .invalidArgument,
            "this command works on a SQLite hub (--db) only for now; on PostgreSQL, 'serve', 'enroll', 'user', "
                + "'replicas', 'revoke', 'rotate', 'digest', 'export', 'compact' and 'upstream sync' take --postgres (see "
                + "Docs/OPERATIONS.md)"
        )
    }

    /// Runs `body` with the hub's PostgreSQL store, its connection pool running meanwhile.
    ///
    /// - Parameters:
    ///   - url: The database.
    ///   - logger: Where the pool and queries log.
    ///   - schema: The schema the store runs (the program's, unless given).
    ///   - body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: ``SyncError`` when the database is unreachable; what `body` threw.
    static func withPostgres<Value: Sendable>(
        _ url: PostgresURL,
        logger: Logger,
        schema: Schema? = nil,
        _ body: @Sendable (PostgresHubStore) async throws -> Value
    ) async throws -> Value {
        // One direct connection first: a wrong database, user or password is reported at once
        // (the pool would retry it without end).
        try await PostgresHubStore.wrapping("connect to \(url.redacted)") {
            let connection = try await PostgresConnection.connect(
                configuration: url.connectionConfiguration,
                id: 0,
                logger: logger
            )
            try await connection.close()
        }
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask {
                await client.run()
                return nil
            }
            defer { group.cancelAll() }
            let store = try await PostgresHubStore.open(
                client: client,
                logger: logger,
                schema: try schema ?? Schema.running()
            )
            return try await body(store)
        }
    }
}
