import Foundation
import GRDB

/// A record as stored: its column values, its merge metadata and its hash.
///
/// `dirty` marks the columns changed since the row was loaded, so that saving updates only those;
/// `hash` is the record's stored hashes (see ``RecordHashes``), `nil` for a new record.
struct StoredRow {
    var values: [FieldValue]
    var meta: RowMeta
    var exists: Bool
    var dirty: [Bool]
    var hash: RecordHashes?

    mutating func set(_ position: Int, _ value: FieldValue) {
        values[position] = value
        dirty[position] = true
    }

    /// Makes a write the shown value of a field, with `others` concurrent writes kept beside it.
    mutating func setWinner(
        _ value: FieldValue,
        _ dot: Dot,
        _ timestamp: HybridTimestamp,
        _ context: VersionVector?,
        at position: Int,
        others: Int
    ) {
        set(position, value)
        meta.fields[position] = FieldMeta(dot: dot, timestamp: timestamp, context: context, extraCount: others)
    }
}

/// Reads, merges and writes the rows of one replicated table inside a transaction.
///
/// Both local writes and remote changes go through ``merge(_:into:record:)``: one mechanism.
struct RowAccess {
    let db: Database
    let table: ReplicatedTable

    // MARK: - Rows

    func emptyRow() -> StoredRow {
        let count = table.columns.count
        return StoredRow(
            values: table.columns.map(\.defaultValue),
            meta: RowMeta(columnCount: count),
            exists: false,
            dirty: Array(repeating: false, count: count),
            hash: nil
        )
    }

    /// Loads a row, or an empty one when the record is unknown.
    func load(_ record: String) throws -> StoredRow {
        let count = table.columns.count
        let statement = DirectStatement(try db.cachedStatement(sql: table.selectSQL))
        statement.bind(1, record)
        defer { statement.reset() }
        guard try statement.step(db) else { return emptyRow() }
        var values: [FieldValue] = []
        values.reserveCapacity(count)
        for position in 0..<count { values.append(statement.value(Int32(position))) }
        let meta: RowMeta
        do {
            meta = try RowMeta(decoding: statement.blob(Int32(count)) ?? [], columnCount: count)
        } catch {
            throw SyncError(
                .storage,
                "the merge metadata of \(table.name) \(record) is damaged; restore the database from a backup"
            )
        }
        return StoredRow(
            values: values,
            meta: meta,
            exists: true,
            dirty: Array(repeating: false, count: count),
            hash: statement.blob(Int32(count + 1)).flatMap(RecordHashes.init(encoded:))
        )
    }

    /// Writes a row back and keeps the state digest up to date: an INSERT for a new record, an
    /// UPDATE of the changed columns otherwise; the record's hash moves from its old value to
    /// its new one in `sum`.
    func save(_ record: String, _ row: inout StoredRow, sum: inout DigestState) throws {
        _ = try save(record, &row, sum: &sum, unlessStored: false)
    }

    /// Merges a change into a record this store does not hold, and inserts it unless a row with
    /// its id exists after all, in one statement: the new records of a batch then cost no
    /// lookup.
    ///
    /// - Returns: Whether the record was new and is now inserted; when `false`, nothing changed.
    func insertIfNew(_ change: Change, sum: inout DigestState) throws -> Bool {
        var row = emptyRow()
        guard try merge(change, into: &row, record: change.record) else { return false }
        return try save(change.record, &row, sum: &sum, unlessStored: true)
    }

    /// Writes a row back; with `unlessStored`, a new row is inserted only if no row has its id.
    ///
    /// - Returns: Whether the row was written.
    private func save(
        _ record: String,
        _ row: inout StoredRow,
        sum: inout DigestState,
        unlessStored: Bool
    ) throws -> Bool {
        var line: [UInt8] = []
        line.reserveCapacity(Self.lineCapacity(record, row.values))
        let conflicts = try self.conflicts(record, row)
        CanonicalRow.write(
            table: table,
            record: record,
            values: row.values,
            conflicts: conflicts,
            meta: row.meta,
            into: &line
        )
        let hash = CanonicalRow.hashes(
            table: table,
            record: record,
            values: row.values,
            conflicts: conflicts,
            meta: row.meta,
            line: line
        )
        let statement: DirectStatement
        var index: Int32 = 1
        if !row.exists {
            statement = DirectStatement(
                try db.cachedStatement(sql: unlessStored ? table.insertIfNewSQL : table.insertSQL)
            )
            statement.bind(1, record)
            index = 2
            for value in row.values {
                statement.bind(index, value)
                index += 1
            }
        } else {
            let changed = row.dirty.indices.filter { row.dirty[$0] }
            if changed.count == 1 {
                statement = DirectStatement(try db.cachedStatement(sql: table.updateOneSQL[changed[0]]))
            } else {
                let assignments = (changed.map { table.columnName(at: $0) } + ["crdt_meta", "crdt_hash"])
                    .map { "\($0) = ?" }.joined(separator: ", ")
                statement = DirectStatement(
                    try db.cachedStatement(sql: "UPDATE \(table.name) SET \(assignments) WHERE id = ?")
                )
            }
            for position in changed {
                statement.bind(index, row.values[position])
                index += 1
            }
        }
        statement.bind(index, blob: row.meta.encoded())
        statement.bind(index + 1, blob: hash.encoded)
        if row.exists { statement.bind(index + 2, record) }
        try statement.statement.execute()
        if unlessStored && db.changesCount == 0 { return false }
        sum.move(from: row.hash, to: hash, table: table)
        row.exists = true
        row.hash = hash
        row.dirty = Array(repeating: false, count: row.dirty.count)
        return true
    }

    /// Room for a record's canonical line, so that writing it does not grow the buffer: the
    /// text values and some bytes for each key and number.
    private static func lineCapacity(_ record: String, _ values: [FieldValue]) -> Int {
        var capacity = 64 + record.utf8.count
        for value in values {
            if case .text(let text) = value { capacity += text.utf8.count + 24 } else { capacity += 32 }
        }
        return capacity
    }

    /// Writes a row back outside of a ``LocalState`` transaction, updating the stored sum itself.
    func save(_ record: String, _ row: inout StoredRow) throws {
        var local = try LocalState.load(db, maxDriftMillis: .max)
        try save(record, &row, sum: &local.sum)
        try local.save(db)
    }

    /// Writes the record's canonical object, as the export writes it.
    ///
    /// The object holds `id`, every field's shown value, and `conflicts` (the other concurrent
    /// values of each field, sorted by dot) when any, with keys in the table's canonical order.
    func writeCanonicalRow(_ record: String, _ row: StoredRow, into out: inout [UInt8]) throws {
        CanonicalRow.write(
            table: table,
            record: record,
            values: row.values,
            conflicts: try conflicts(record, row),
            meta: row.meta,
            into: &out
        )
    }

    /// The record's hashes, recomputed from the row (a check of the stored ones).
    func recomputedHashes(_ record: String, _ row: StoredRow) throws -> RecordHashes {
        let conflicts = try self.conflicts(record, row)
        var line: [UInt8] = []
        CanonicalRow.write(
            table: table,
            record: record,
            values: row.values,
            conflicts: conflicts,
            meta: row.meta,
            into: &line
        )
        return CanonicalRow.hashes(
            table: table,
            record: record,
            values: row.values,
            conflicts: conflicts,
            meta: row.meta,
            line: line
        )
    }

    /// The other concurrent writes of each field that has any, by position.
    private func conflicts(_ record: String, _ row: StoredRow) throws -> [Int: [FieldWrite]] {
        var conflicts: [Int: [FieldWrite]] = [:]
        for position in table.columns.indices {
            guard let meta = row.meta.fields[position], meta.extraCount > 0 else { continue }
            conflicts[position] = Array(try state(of: position, in: row, record: record).writes.dropFirst())
        }
        return conflicts
    }

    // MARK: - Field states

    /// The merged state of one field: the winner from the row, the others from `crdt_conflict`.
    func state(of position: Int, in row: StoredRow, record: String) throws -> FieldState {
        let rule = table.rule(at: position)
        guard let meta = row.meta.fields[position] else { return FieldState(rule: rule) }
        var writes = [
            FieldWrite(value: row.values[position], dot: meta.dot, timestamp: meta.timestamp, context: meta.context)
        ]
        if meta.extraCount > 0 {
            writes += try extras(record: record, at: position, rule: rule)
        }
        return FieldState(rule: rule, merged: writes)
    }

    private func extras(record: String, at position: Int, rule: MergeRule) throws -> [FieldWrite] {
        let statement = try db.cachedStatement(
            sql: "SELECT origin, seq, hlc, ctx, value FROM crdt_conflict WHERE tbl = ? AND row_id = ? AND col = ?"
        )
        var writes: [FieldWrite] = []
        let rows = try Row.fetchCursor(statement, arguments: [table.name, record, table.columnName(at: position)])
        while let row = try rows.next() {
            writes.append(try Self.write(fromConflictRow: row, table: table.name, record: record))
        }
        return writes.sorted { rule.prefers($0, over: $1) }
    }

    static func write(fromConflictRow row: Row, table: String, record: String) throws -> FieldWrite {
        let dot = Dot(origin: ReplicaID(validated: row["origin"]), seq: UInt64(row["seq"] as Int64))
        let blob: Data? = row["ctx"]
        let context: VersionVector?
        do {
            context = try blob.map { try VersionVector(decodingBlob: [UInt8]($0)) }
        } catch {
            throw SyncError(.storage, "a conflict record of \(table) \(record) is damaged; restore from a backup")
        }
        return FieldWrite(
            value: FieldValue(row["value"] as DatabaseValue),
            dot: dot,
            timestamp: HybridTimestamp(rawValue: row["hlc"]),
            context: context
        )
    }

    // MARK: - Merge

    /// Merges a change into a row: each field by its rule; conflicts and tombstones kept up to date.
    ///
    /// - Returns: Whether any field changed.
    func merge(_ change: Change, into row: inout StoredRow, record: String) throws -> Bool {
        var changed = false
        for (name, field) in change.fields {
            guard let position = table.position(of: name) else { continue }
            let context = table.rule(at: position).isCausal ? field.context : nil
            guard row.meta.fields[position] != nil else {
                // A field never written takes any write, by every rule (``FieldState/merge(_:)``
                // of an empty state): no state to build.
                row.setWinner(field.value, change.dot, change.timestamp, context, at: position, others: 0)
                changed = true
                continue
            }
            let state = try state(of: position, in: row, record: record)
            let write = FieldWrite(value: field.value, dot: change.dot, timestamp: change.timestamp, context: context)
            if try merge(write, at: position, state: state, into: &row, record: record) { changed = true }
        }
        if changed { eraseIfTombstoned(&row) }
        return changed
    }

    /// Merges one write into one field whose current state is `state`.
    ///
    /// - Returns: Whether the field changed.
    func merge(
        _ write: FieldWrite,
        at position: Int,
        state: FieldState,
        into row: inout StoredRow,
        record: String
    ) throws -> Bool {
        var state = state
        let hadExtras = state.writes.count > 1
        guard state.merge(write), let winner = state.winner else { return false }
        row.setWinner(
            winner.value,
            winner.dot,
            winner.timestamp,
            winner.context,
            at: position,
            others: state.writes.count - 1
        )
        if hadExtras || state.writes.count > 1 {
            try storeExtras(Array(state.writes.dropFirst()), record: record, column: table.columnName(at: position))
        }
        return true
    }

    private func storeExtras(_ writes: [FieldWrite], record: String, column: String) throws {
        try db.cachedStatement(sql: "DELETE FROM crdt_conflict WHERE tbl = ? AND row_id = ? AND col = ?")
            .execute(arguments: [table.name, record, column])
        let insert = try db.cachedStatement(
            sql:
                "INSERT INTO crdt_conflict(tbl, row_id, col, origin, seq, hlc, ctx, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        )
        for write in writes {
            try insert.execute(arguments: [
                table.name, record, column, write.dot.origin.rawValue, Int64(write.dot.seq),
                write.timestamp.rawValue, write.context.map { Data($0.encodedBlob()) }, write.value.databaseValue,
            ])
        }
    }

    func eraseIfTombstoned(_ row: inout StoredRow) {
        guard let name = table.tombstoneColumn, let position = table.position(of: name),
            row.values[position].isTrue
        else { return }
        for (index, column) in table.columns.enumerated() where column.isErasedByTombstone {
            row.set(index, .null)
        }
    }
}
