import Foundation
import GRDB

/// A record as stored: its column values and its merge metadata.
struct StoredRow {
    var values: [FieldValue]
    var meta: RowMeta
    var exists: Bool
}

/// Reads, merges and writes the rows of one replicated table inside a transaction.
///
/// Both local writes and remote changes go through ``merge(_:into:record:)``: one mechanism.
struct RowAccess {
    let db: Database
    let table: ReplicatedTable

    // MARK: - Rows

    func load(_ record: String) throws -> StoredRow {
        let columns = table.columns.map(\.name).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: "SELECT \(columns), crdt_meta FROM \(table.name) WHERE id = ?")
        guard let row = try Row.fetchOne(statement, arguments: [record]) else {
            let count = table.columns.count
            return StoredRow(
                values: Array(repeating: .null, count: count),
                meta: RowMeta(columnCount: count),
                exists: false
            )
        }
        let count = table.columns.count
        var values: [FieldValue] = []
        values.reserveCapacity(count)
        for index in 0..<count { values.append(FieldValue(row[index] as DatabaseValue)) }
        let blob: Data = row[count]
        do {
            let meta = try RowMeta(decoding: [UInt8](blob), columnCount: count)
            return StoredRow(values: values, meta: meta, exists: true)
        } catch {
            throw SyncError(
                .storage,
                "the merge metadata of \(table.name) \(record) is damaged; restore the database from a backup"
            )
        }
    }

    func save(_ record: String, _ row: StoredRow) throws {
        let names = table.columns.map(\.name)
        let placeholders = Array(repeating: "?", count: names.count + 2).joined(separator: ", ")
        let updates = (names + ["crdt_meta"]).map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO \(table.name)(id, \(names.joined(separator: ", ")), crdt_meta) VALUES (\(placeholders))
                ON CONFLICT(id) DO UPDATE SET \(updates)
                """
        )
        var arguments: [DatabaseValue] = [record.databaseValue]
        arguments.reserveCapacity(names.count + 2)
        for value in row.values { arguments.append(value.databaseValue) }
        arguments.append(Data(row.meta.encoded()).databaseValue)
        try statement.execute(arguments: StatementArguments(arguments))
    }

    // MARK: - Field states

    /// The merged state of one field: the winner from the row, the others from `crdt_conflict`.
    func state(of position: Int, in row: StoredRow, record: String) throws -> FieldState {
        let column = table.columns[position]
        guard let meta = row.meta.fields[position] else { return FieldState(rule: column.rule) }
        var writes = [
            FieldWrite(value: row.values[position], dot: meta.dot, timestamp: meta.timestamp, context: meta.context)
        ]
        if meta.extraCount > 0 {
            writes += try extras(record: record, column: column.name)
        }
        return FieldState(rule: column.rule, merged: writes)
    }

    private func extras(record: String, column: String) throws -> [FieldWrite] {
        let statement = try db.cachedStatement(
            sql: "SELECT origin, seq, hlc, ctx, value FROM crdt_conflict WHERE tbl = ? AND row_id = ? AND col = ?"
        )
        var writes: [FieldWrite] = []
        let rows = try Row.fetchCursor(statement, arguments: [table.name, record, column])
        while let row = try rows.next() {
            writes.append(try Self.write(fromConflictRow: row, table: table.name, record: record))
        }
        let rule = table.column(named: column)?.rule ?? .multiValue
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
            let rule = table.columns[position].rule
            let write = FieldWrite(
                value: field.value,
                dot: change.dot,
                timestamp: change.timestamp,
                context: rule.isCausal ? field.context : nil
            )
            var state = try state(of: position, in: row, record: record)
            let hadExtras = state.writes.count > 1
            guard state.merge(write), let winner = state.winner else { continue }
            changed = true
            row.values[position] = winner.value
            row.meta.fields[position] = FieldMeta(
                dot: winner.dot,
                timestamp: winner.timestamp,
                context: winner.context,
                extraCount: state.writes.count - 1
            )
            if hadExtras || state.writes.count > 1 {
                try storeExtras(Array(state.writes.dropFirst()), record: record, column: name)
            }
        }
        if changed { eraseIfTombstoned(&row) }
        return changed
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

    private func eraseIfTombstoned(_ row: inout StoredRow) {
        guard let name = table.tombstoneColumn, let position = table.position(of: name),
            row.values[position].isTrue
        else { return }
        for (index, column) in table.columns.enumerated() where column.isErasedByTombstone {
            row.values[index] = .null
        }
    }
}
