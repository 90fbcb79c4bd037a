import GRDB

extension ReplicaStore {
    /// Rebuilds the change `dot` made to a record for a batch: the fields the record still
    /// holds of it, and for a change of a newer schema version, the fields this replica keeps
    /// without knowing them (see ``KeptFields``), so that a relay on an older version passes a
    /// change on with all its fields.
    ///
    /// - Returns: The change, or `nil` when nothing of it counts any more.
    func rebuiltChange(
        _ db: Database,
        table: String,
        record: String,
        dot: Dot,
        schemaVersion: Int
    ) throws -> Change? {
        var change: Change?
        if let known = schema.table(named: table) {
            change = try readChange(db, table: known, record: record, dot: dot, schemaVersion: schemaVersion)
        }
        guard schemaVersion > schema.version, let kept = try KeptFields.fields(of: dot, in: db) else { return change }
        var whole =
            change
            ?? Change(
                table: table,
                record: record,
                origin: dot.origin,
                seq: dot.seq,
                timestamp: kept.timestamp,
                schemaVersion: schemaVersion,
                fields: [:]
            )
        whole.fields.merge(kept.fields) { shown, _ in shown }
        return whole
    }

    /// How many fields of newer schema versions this replica keeps until it upgrades.
    ///
    /// - Returns: The number of kept fields (0 once every peer's version is known here).
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func keptFieldCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM crdt_kept") ?? 0 }
    }
}
