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
    /// Whether the record is known to be new (a fresh UUIDv7 id), so that its row need not be read.
    public var isNew: Bool

    /// Creates a write.
    ///
    /// - Parameters:
    ///   - table: The table written.
    ///   - record: The record's id.
    ///   - values: The new field values, by column.
    ///   - mustExist: Whether the record must already exist.
    ///   - isNew: Whether the record is known to be new (its id was just made); writing it
    ///     then fails if a record with that id exists.
    public init(
        table: String,
        record: String,
        values: [String: FieldValue],
        mustExist: Bool = false,
        isNew: Bool = false
    ) {
        precondition(!(mustExist && isNew), "a record cannot both exist already and be new")
        self.table = table
        self.record = record
        self.values = values
        self.mustExist = mustExist
        self.isNew = isNew
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
            var local = try LocalState.load(db, maxDriftMillis: maxDriftMillis)
            adopt(local.replica)
            var changes: [Change] = []
            changes.reserveCapacity(writes.count)
            for write in writes {
                let access = RowAccess(db: db, table: schema.table(named: write.table)!)
                var row = write.isNew ? access.emptyRow() : try access.load(write.record)
                if write.mustExist && !row.exists {
                    throw SyncError(.recordNotFound, "no \(write.table) with id \(write.record) on this replica")
                }
                local.seq += 1
                let dot = Dot(origin: local.replica, seq: local.seq)
                let timestamp = local.clock.tick(now: wallClock())
                let change = try mergeLocal(write, into: &row, access: access, dot: dot, timestamp: timestamp)
                try access.save(write.record, &row, sum: &local.sum)
                changes.append(change)
            }
            // Nothing in this transaction reads the log; its last entry carries the running sum.
            try Self.log(db, changes, lastSum: local.sum.current)
            try DigestTable.add(local.sum.pastIncrements, db)
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

    /// Turns a local write into a change and merges it into its row, field by field.
    ///
    /// Each causal field's context is everything this replica has seen of it plus the new dot,
    /// so the write supersedes every value it could see (resolving any conflict).
    private func mergeLocal(
        _ write: RecordWrite,
        into row: inout StoredRow,
        access: RowAccess,
        dot: Dot,
        timestamp: HybridTimestamp
    ) throws -> Change {
        var fields: [String: FieldChange] = [:]
        for (name, value) in write.values {
            let position = access.table.position(of: name)!
            let state = try access.state(of: position, in: row, record: write.record)
            var context: VersionVector?
            if state.rule.isCausal {
                var seen = state.context
                seen.advance(dot)
                context = seen
            }
            let fieldWrite = FieldWrite(value: value, dot: dot, timestamp: timestamp, context: context)
            _ = try access.merge(fieldWrite, at: position, state: state, into: &row, record: write.record)
            fields[name] = FieldChange(value: value, context: context)
        }
        access.eraseIfTombstoned(&row)
        return Change(
            table: write.table,
            record: write.record,
            origin: dot.origin,
            seq: dot.seq,
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

    /// Rows per `INSERT` when changes are logged.
    static let logRowsPerStatement = 128

    /// The log's `INSERT` for each number of rows, from 0 (unused) to ``logRowsPerStatement``.
    private static let logSQL: [String] = (0...logRowsPerStatement).map { rows in
        "INSERT OR IGNORE INTO crdt_log(origin, seq, tbl, row_id, schema, hlc, digest_sum) VALUES "
            + Array(repeating: "(?, ?, ?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// Logs changes, many rows per statement; `lastSum` is the running digest sum after the last
    /// one, for the local writes of a transaction (see `LocalState`), `nil` for remote changes.
    ///
    /// One statement keeps its cursors open from row to row, so that SQLite appends the next key
    /// of the log and of its record index without searching from the root again, as it must for
    /// each statement of one row; the changes of a batch usually carry increasing keys.
    static func log(_ db: Database, _ changes: [Change], lastSum: DigestSum?) throws {
        var start = 0
        while start < changes.count {
            let end = min(start + logRowsPerStatement, changes.count)
            let statement = try db.cachedStatement(sql: logSQL[end - start])
            let direct = DirectStatement(statement)
            var index: Int32 = 1
            for position in start..<end {
                let change = changes[position]
                direct.bind(index, change.origin.rawValue)
                direct.bind(index + 1, Int64(change.seq))
                direct.bind(index + 2, change.table)
                direct.bind(index + 3, change.record)
                direct.bind(index + 4, Int64(change.schemaVersion))
                direct.bind(index + 5, change.timestamp.rawValue)
                if position == changes.count - 1, let lastSum {
                    direct.bind(index + 6, blob: lastSum.bytes)
                } else {
                    direct.bind(index + 6, FieldValue.null)
                }
                index += 7
            }
            try statement.execute()
            start = end
        }
    }
}
