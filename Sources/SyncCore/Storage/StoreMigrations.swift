import GRDB

/// The GRDB migrations of a replica database: the engine's tables, then the schema's tables.
enum StoreMigrations {
    static func migrator(for schema: Schema) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("engine-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE crdt_self (
                        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                        replica TEXT NOT NULL,
                        seq INTEGER NOT NULL DEFAULT 0,
                        hlc INTEGER NOT NULL,
                        digest_sum BLOB,
                        file_device INTEGER NOT NULL,
                        file_inode INTEGER NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE crdt_identity_history (
                        replica TEXT PRIMARY KEY NOT NULL,
                        retired_at INTEGER NOT NULL,
                        reason TEXT NOT NULL
                    );
                    CREATE TABLE crdt_vector (
                        origin TEXT PRIMARY KEY NOT NULL,
                        seq INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE crdt_log (
                        origin TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        tbl TEXT NOT NULL,
                        row_id TEXT NOT NULL,
                        schema INTEGER NOT NULL,
                        hlc INTEGER NOT NULL,
                        PRIMARY KEY (origin, seq)
                    ) WITHOUT ROWID;
                    CREATE INDEX crdt_log_record ON crdt_log(tbl, row_id);
                    CREATE TABLE crdt_conflict (
                        tbl TEXT NOT NULL,
                        row_id TEXT NOT NULL,
                        col TEXT NOT NULL,
                        origin TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        hlc INTEGER NOT NULL,
                        ctx BLOB,
                        value,
                        PRIMARY KEY (tbl, row_id, col, origin, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE crdt_setting (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE crdt_peer (
                        peer TEXT PRIMARY KEY NOT NULL,
                        vector TEXT NOT NULL,
                        last_sync_at INTEGER,
                        last_digest_match INTEGER
                    );
                    """
            )
        }
        migrator.registerMigration("registry-v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sync_enrollment (
                        id TEXT PRIMARY KEY NOT NULL,
                        commune TEXT NOT NULL,
                        label TEXT NOT NULL,
                        token_hash TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER,
                        last_sync_at INTEGER,
                        last_vector TEXT,
                        last_digest_match INTEGER,
                        clock_offset_ms INTEGER
                    );
                    CREATE TABLE sync_origin (
                        origin TEXT PRIMARY KEY NOT NULL,
                        enrollment_id TEXT NOT NULL,
                        commune TEXT NOT NULL,
                        bound_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("schema-v\(schema.version)") { db in
            for table in schema.tables {
                try db.execute(sql: createTableSQL(table))
                for column in table.indexedColumns {
                    try db.execute(sql: "CREATE INDEX \(table.name)_\(column) ON \(table.name)(\(column))")
                }
            }
        }
        migrator.registerMigration("accounts-v1") { db in
            try db.execute(sql: AccountTables.createSQL)
        }
        migrator.registerMigration("registry-relay-v1") { db in
            try db.execute(sql: "ALTER TABLE sync_enrollment ADD COLUMN kind TEXT NOT NULL DEFAULT 'replica'")
        }
        // The running state after a transaction's last local write, so that the write need not
        // update `crdt_self` (see `LocalState`).
        migrator.registerMigration("engine-v2-log-state") { db in
            try db.execute(sql: "ALTER TABLE crdt_log ADD COLUMN digest_sum BLOB")
        }
        // Refusals of an enrolled peer's requests, shown to the operator.
        migrator.registerMigration("registry-refusals-v1") { db in
            try db.execute(
                sql: """
                    ALTER TABLE sync_enrollment ADD COLUMN refusal_count INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE sync_enrollment ADD COLUMN last_refusal_at INTEGER;
                    ALTER TABLE sync_enrollment ADD COLUMN last_refusal TEXT;
                    """
            )
        }
        // The identity of each server this replica syncs with as a client: reserved (OriginAdmission).
        migrator.registerMigration("engine-v3-peer-identity") { db in
            try db.execute(sql: "ALTER TABLE crdt_peer ADD COLUMN replica TEXT")
        }
        return migrator
    }

    static func createTableSQL(_ table: ReplicatedTable) -> String {
        let columns = table.columns.map { column in
            switch column.type {
            case .text: "\(column.name) TEXT"
            case .integer, .boolean: "\(column.name) INTEGER"
            }
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
