/// The SQL of the engine's own tables (not the replicated ones), by the migration that made them.
enum EngineTables {
    /// `engine-v1`: identity, vector, change log, conflicts, settings, peers.
    static let version1 = """
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

    /// `registry-v1`: a hub's (or an office's) enrolled replicas and the origins bound to them.
    static let registry = """
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

    /// `engine-v3-versions`: the fields of newer schema versions this file keeps until it knows
    /// them (`crdt_kept`, see ``KeptFields``), the digests of earlier schema versions
    /// (`crdt_digest`, see ``DigestState``), and the schema and program versions each enrolled
    /// replica last said it runs.
    static let versions = """
        CREATE TABLE crdt_kept (
            origin TEXT NOT NULL,
            seq INTEGER NOT NULL,
            col TEXT NOT NULL,
            tbl TEXT NOT NULL,
            row_id TEXT NOT NULL,
            schema INTEGER NOT NULL,
            hlc INTEGER NOT NULL,
            ctx BLOB,
            value,
            PRIMARY KEY (origin, seq, col)
        ) WITHOUT ROWID;
        CREATE INDEX crdt_kept_record ON crdt_kept(tbl, row_id);
        CREATE TABLE crdt_digest (
            version INTEGER PRIMARY KEY NOT NULL,
            delta BLOB NOT NULL
        );
        ALTER TABLE sync_enrollment ADD COLUMN schema_version INTEGER;
        ALTER TABLE sync_enrollment ADD COLUMN program_version TEXT;
        """
}
