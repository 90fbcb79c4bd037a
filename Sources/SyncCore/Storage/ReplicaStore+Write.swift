import GRDB

/// A local write of one record: the fields to set.
///
/// ```swift
/// RecordWrite(table: "event", record: id, values: ["venue": .text("Dar Souiri")])
/// ```
public struct RecordWrite: Hashable, Sendable {
    /// The table written.
    public var table: String
    /// The record's id.
    public var record: String
    /// The new field values, by column.
    public var values: [String: FieldValue]
    /// Whether the record must already exist (an edit) rather than be created.
    public var mustExist: Bool

    /// Creates a write.
    ///
    /// - Parameters:
    ///   - table: The table written.
    ///   - record: The record's id.
    ///   - values: The new field values, by column.
    ///   - mustExist: Whether the record must already exist.
    public init(table: String, record: String, values: [String: FieldValue], mustExist: Bool = false) {
        self.table = table
        self.record = record
        self.values = values
        self.mustExist = mustExist
    }
}

extension ReplicaStore {
    /// Writes records locally, in one transaction: each record write ticks the clock, takes the
    /// next sequence number, becomes a ``Change`` and is merged into its row.
    ///
    /// A write's causal context is everything this replica has seen of the field, so a write
    /// supersedes every value it could see, the losing values of a conflict included: writing a
    /// field that has a conflict resolves it.
    ///
    /// ```swift
    /// try store.write([RecordWrite(table: "proposal", record: id, values: ["status": .text("accepted")], mustExist: true)])
    /// ```
    ///
    /// - Parameter writes: The records to write.
    /// - Returns: The changes made, in order.
    /// - Throws: ``SyncError`` when a table, field or value is invalid or a record to edit is
    ///   missing; nothing is written then.
    @discardableResult
    public func write(_ writes: [RecordWrite]) throws -> [Change] {
        for write in writes { try validate(write) }
        return try self.write { db in
            var clock = HybridLogicalClock(last: try Self.loadClock(db), maxDriftMillis: maxDriftMillis)
            var seq = try VectorTable.load(db)[replicaID]
            var changes: [Change] = []
            for write in writes {
                let access = RowAccess(db: db, table: schema.table(named: write.table)!)
                var row = try access.load(write.record)
                if write.mustExist && !row.exists {
                    throw SyncError(.recordNotFound, "no \(write.table) with id \(write.record) on this replica")
                }
                seq += 1
                let change = try makeChange(
                    write,
                    row: row,
                    access: access,
                    seq: seq,
                    timestamp: clock.tick(now: wallClock())
                )
                _ = try access.merge(change, into: &row, record: write.record)
                try access.save(write.record, row)
                try Self.log(db, change)
                changes.append(change)
            }
            try VectorTable.raise(db, origin: replicaID, to: seq)
            try Self.saveClock(db, clock.last)
            return changes
        }
    }

    private func validate(_ write: RecordWrite) throws {
        guard let table = schema.table(named: write.table) else {
            throw SyncError(.invalidArgument, "unknown table '\(write.table.prefix(40))'")
        }
        try Self.validateRecordID(write.record, table: table.name)
        guard !write.values.isEmpty else {
            throw SyncError(.invalidArgument, "a write of \(table.name) \(write.record) sets no field")
        }
        for (name, value) in write.values {
            guard let column = table.column(named: name) else {
                throw SyncError(.invalidArgument, "\(table.name) has no field '\(name.prefix(40))'")
            }
            try column.validate(value, in: table.name)
        }
    }

    private func makeChange(
        _ write: RecordWrite,
        row: StoredRow,
        access: RowAccess,
        seq: UInt64,
        timestamp: HybridTimestamp
    ) throws -> Change {
        let dot = Dot(origin: replicaID, seq: seq)
        var fields: [String: FieldChange] = [:]
        for (name, value) in write.values {
            let position = access.table.position(of: name)!
            var context: VersionVector?
            if access.table.columns[position].rule.isCausal {
                var seen = try access.state(of: position, in: row, record: write.record).context
                seen.advance(dot)
                context = seen
            }
            fields[name] = FieldChange(value: value, context: context)
        }
        return Change(
            table: write.table,
            record: write.record,
            origin: replicaID,
            seq: seq,
            timestamp: timestamp,
            schemaVersion: schema.version,
            fields: fields
        )
    }

    // MARK: - Shared pieces of the write path

    static func validateRecordID(_ record: String, table: String) throws {
        let bytes = record.utf8
        guard (1...140).contains(bytes.count),
            bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") && $0 != UInt8(ascii: "\"") })
        else {
            throw SyncError(.invalidArgument, "'\(record.prefix(40))' is not a valid \(table) id")
        }
    }

    static func log(_ db: Database, _ change: Change) throws {
        try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO crdt_log(origin, seq, tbl, row_id, schema, hlc) VALUES (?, ?, ?, ?, ?, ?)"
        )
        .execute(arguments: [
            change.origin.rawValue, Int64(change.seq), change.table, change.record, change.schemaVersion,
            change.timestamp.rawValue,
        ])
    }

    static func loadClock(_ db: Database) throws -> HybridTimestamp {
        let raw = try Int64.fetchOne(db.cachedStatement(sql: "SELECT hlc FROM crdt_self WHERE singleton = 1")) ?? 0
        return HybridTimestamp(rawValue: raw)
    }

    static func saveClock(_ db: Database, _ timestamp: HybridTimestamp) throws {
        try db.cachedStatement(sql: "UPDATE crdt_self SET hlc = max(hlc, ?) WHERE singleton = 1")
            .execute(arguments: [timestamp.rawValue])
    }
}
