import Foundation
import GRDB

/// The migrations of a replica database: the engine's tables, then one migration per schema
/// version (`schema-v1`, `schema-v2`, …) derived from the schema's history.
///
/// Opening runs every missing migration in one `BEGIN IMMEDIATE` transaction, with the list of
/// applied migrations read inside it: a file is migrated wholly or not at all (a power cut or a
/// `kill -9` mid-way leaves it at its old version), and two processes opening the same file at
/// once cannot both run a migration (the second finds it applied). A file that names a
/// migration this build does not know (written by a newer schema version or a newer release) is
/// refused before anything is written to it.
///
/// The applied migrations are listed in `grdb_migrations`, the table GRDB's own migrator used
/// in earlier releases, so files they made open here as they are.
enum StoreMigrations {
    /// One migration: its identifier and what it does.
    struct Migration {
        var identifier: String
        var run: (Database) throws -> Void
    }

    /// Migrates the database to `schema`, in one transaction.
    ///
    /// - Parameters:
    ///   - pool: The open database.
    ///   - schema: The schema this build writes.
    ///   - path: The file, for messages.
    /// - Throws: ``SyncError`` with ``SyncError/Code/schemaMismatch`` for a file newer than the
    ///   build, or a database error.
    static func migrate(_ pool: DatabasePool, schema: Schema, path: String) throws {
        let migrations = self.migrations(for: schema)
        try pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                let applied = try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
                try refuseNewer(applied, known: Set(migrations.map(\.identifier)), schema: schema, path: path)
                let missing = migrations.filter { !applied.contains($0.identifier) }
                guard !missing.isEmpty else { return .rollback }
                for migration in missing {
                    try migration.run(db)
                    try db.execute(
                        sql: "INSERT INTO grdb_migrations(identifier) VALUES (?)",
                        arguments: [migration.identifier]
                    )
                }
                // Fields kept aside while this file was on an older version and known now.
                if missing.contains(where: { $0.identifier.hasPrefix("schema-v") }) {
                    try KeptFields.merge(db, schema: schema)
                }
                return .commit
            }
        }
    }

    /// Refuses an existing file newer than the build before the store opens it for writing:
    /// read through a read-only connection, so that a refused file is left byte for byte as it
    /// was (opening a WAL pool writes to a file whose `-wal` is missing).
    ///
    /// - Parameters:
    ///   - path: The database file, which exists.
    ///   - schema: The schema this build writes.
    /// - Throws: ``SyncError`` with ``SyncError/Code/schemaMismatch`` for a newer file.
    static func refuseNewerFile(at path: String, schema: Schema) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        let applied: Set<String>
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            applied = try queue.read { db in
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
            }
        } catch {
            // Unreadable this way (a file being created, a read-only folder): opening for
            // writing checks again, inside its transaction.
            return
        }
        try refuseNewer(applied, known: Set(migrations(for: schema).map(\.identifier)), schema: schema, path: path)
    }

    /// Refuses a file that records a migration this build does not have.
    private static func refuseNewer(_ applied: Set<String>, known: Set<String>, schema: Schema, path: String) throws {
        let unknown = applied.subtracting(known)
        guard !unknown.isEmpty else { return }
        let versions = unknown.compactMap { $0.hasPrefix("schema-v") ? Int($0.dropFirst("schema-v".count)) : nil }
        if let newest = versions.max() {
            throw SyncError(
                .schemaMismatch,
                "the database at \(path) is on schema version \(newest) and this program knows versions 1 to "
                    + "\(schema.version); it was left as it is. Run a release that knows schema version "
                    + "\(newest) (or restore the backup taken before the upgrade)"
            )
        }
        throw SyncError(
            .schemaMismatch,
            "the database at \(path) was written by a newer release (its migration "
                + "'\(unknown.sorted()[0].prefix(40))' is unknown here); it was left as it is. Run that release "
                + "or a later one (or restore the backup taken before the upgrade)"
        )
    }

    /// Every migration of a database of `schema`, in order.
    static func migrations(for schema: Schema) -> [Migration] {
        var list = [
            Migration(identifier: "engine-v1") { db in try db.execute(sql: EngineTables.version1) },
            Migration(identifier: "registry-v1") { db in try db.execute(sql: EngineTables.registry) },
            schemaMigration(schema, version: 1),
            // Created the hub's dashboard accounts in every file; they now live in the hub's own
            // local tables (`migrateLocalTables`), and `engine-v4-no-hub-tables` removes them
            // where they are empty.
            Migration(identifier: "accounts-v1") { _ in },
            Migration(identifier: "registry-relay-v1") { db in
                try db.execute(sql: "ALTER TABLE sync_enrollment ADD COLUMN kind TEXT NOT NULL DEFAULT 'replica'")
            },
            // The running state after a transaction's last local write, so that the write need not
            // update `crdt_self` (see `LocalState`).
            Migration(identifier: "engine-v2-log-state") { db in
                try db.execute(sql: "ALTER TABLE crdt_log ADD COLUMN digest_sum BLOB")
            },
            // Fields of newer schema versions kept until they are known, the digests of earlier
            // versions, and the versions each enrolled replica last said it runs.
            Migration(identifier: "engine-v3-versions") { db in try db.execute(sql: EngineTables.versions) },
            // Refusals of an enrolled peer's requests, shown to the operator.
            Migration(identifier: "registry-refusals-v1") { db in
                try db.execute(
                    sql: """
                        ALTER TABLE sync_enrollment ADD COLUMN refusal_count INTEGER NOT NULL DEFAULT 0;
                        ALTER TABLE sync_enrollment ADD COLUMN last_refusal_at INTEGER;
                        ALTER TABLE sync_enrollment ADD COLUMN last_refusal TEXT;
                        """
                )
            },
            // The identity of each server this replica syncs with as a client: reserved (OriginAdmission).
            Migration(identifier: "engine-v3-peer-identity") { db in
                try db.execute(sql: "ALTER TABLE crdt_peer ADD COLUMN replica TEXT")
            },
            // A replica's file holds only what a replica needs: the empty account tables that
            // `accounts-v1` made go. A hub's, with accounts in them, stay for the hub to adopt.
            Migration(identifier: "engine-v4-no-hub-tables") { db in
                guard try db.tableExists("hub_account"), try db.tableExists("hub_session") else { return }
                let rows = try Int.fetchOne(
                    db,
                    sql: "SELECT (SELECT count(*) FROM hub_account) + (SELECT count(*) FROM hub_session)"
                )
                guard rows == 0 else { return }
                try db.execute(sql: "DROP TABLE hub_session; DROP TABLE hub_account")
            },
        ]
        if schema.version >= 2 {
            list += (2...schema.version).map { schemaMigration(schema, version: $0) }
        }
        return list
    }

    /// The migration of one schema version: its steps as SQL.
    private static func schemaMigration(_ schema: Schema, version: Int) -> Migration {
        Migration(identifier: "schema-v\(version)") { db in
            for step in schema.steps(of: version) {
                for statement in sql(for: step) { try db.execute(sql: statement) }
            }
        }
    }

    /// The statements of one step; steps that change only validation need none.
    static func sql(for step: MigrationStep) -> [String] {
        switch step.kind {
        case .addTable(let table):
            return [createTableSQL(table)]
                + table.indexedColumns.map { "CREATE INDEX \(table.name)_\($0) ON \(table.name)(\($0))" }
        case .addColumn(let table, let column):
            var statement = "ALTER TABLE \(table) ADD COLUMN \(column.name) \(sqlType(column))"
            switch column.defaultValue {
            case .null: break
            case .integer(let number): statement += " DEFAULT \(number)"
            case .text(let text): statement += " DEFAULT '\(text.replacingOccurrences(of: "'", with: "''"))'"
            }
            return [statement]
        case .index(let table, let column):
            return ["CREATE INDEX \(table)_\(column) ON \(table)(\(column))"]
        case .widenText, .widenRange, .allow:
            return []
        }
    }

    private static func sqlType(_ column: ReplicatedColumn) -> String {
        switch column.type {
        case .text: "TEXT"
        case .integer, .boolean: "INTEGER"
        }
    }

    static func createTableSQL(_ table: ReplicatedTable) -> String {
        let columns = table.columns.map { column in
            var declaration = "\(column.name) \(sqlType(column))"
            if case .integer(let number) = column.defaultValue { declaration += " DEFAULT \(number)" }
            if case .text(let text) = column.defaultValue {
                declaration += " DEFAULT '\(text.replacingOccurrences(of: "'", with: "''"))'"
            }
            return declaration
        }
        return """
            CREATE TABLE \(table.name) (
                id TEXT PRIMARY KEY NOT NULL,
                \(columns.joined(separator: ",\n    ")),
                crdt_meta BLOB NOT NULL,
                crdt_hash BLOB
            )
            """
    }
}
