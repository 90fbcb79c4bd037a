import GRDB

/// One write of a record, as the change log remembers it.
///
/// The log keeps who wrote a record and when, not the superseded values (each value is stored
/// once, in its row): ``fieldsShown`` names the fields whose shown value, or one of whose
/// concurrent values, still comes from this write.
public struct HistoryEntry: Hashable, Sendable, Codable {
    /// The replica where the write was made.
    public var origin: ReplicaID
    /// Its sequence number there.
    public var seq: UInt64
    /// When it was written.
    public var timestamp: HybridTimestamp
    /// The fields whose current or concurrent value comes from this write, sorted.
    public var fieldsShown: [String]
}

extension ReplicaStore {
    /// The writes this replica knows of one record, oldest first.
    ///
    /// ```swift
    /// for entry in try store.history(table: "proposal", record: id) {
    ///     print(entry.origin, entry.timestamp.wallMillis, entry.fieldsShown)
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - table: The table.
    ///   - record: The record's id.
    /// - Returns: The writes, by timestamp.
    /// - Throws: ``SyncError`` for an unknown table or when the database cannot be read.
    public func history(table: String, record: String) throws -> [HistoryEntry] {
        guard let replicated = schema.table(named: table) else {
            throw SyncError(.invalidArgument, "unknown table '\(table.prefix(40))'")
        }
        return try read { db in
            let access = RowAccess(db: db, table: replicated)
            let row = try access.load(record)
            var shown: [Dot: Set<String>] = [:]
            for (position, meta) in row.meta.fields.enumerated() where meta != nil {
                for write in try access.state(of: position, in: row, record: record).writes {
                    shown[write.dot, default: []].insert(replicated.columns[position].name)
                }
            }
            let entries = try Row.fetchAll(
                db,
                sql: "SELECT origin, seq, hlc FROM crdt_log WHERE tbl = ? AND row_id = ? ORDER BY hlc, origin, seq",
                arguments: [table, record]
            )
            return entries.map { entry in
                let dot = Dot(origin: ReplicaID(validated: entry["origin"]), seq: UInt64(entry["seq"] as Int64))
                return HistoryEntry(
                    origin: dot.origin,
                    seq: dot.seq,
                    timestamp: HybridTimestamp(rawValue: entry["hlc"]),
                    fieldsShown: (shown[dot] ?? []).sorted()
                )
            }
        }
    }
}
