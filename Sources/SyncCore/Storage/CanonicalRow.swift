/// The canonical object of one record, as the export writes it and as its digest hash covers.
///
/// Both stores write it through this one function, so a record merged in SQLite and the same
/// record merged in PostgreSQL hash to the same bytes.
///
/// A column that a migration step added after its table was created appears once written: a
/// record nobody wrote the new field of keeps the line, the hash and the digest it had before
/// the step, on every replica, upgraded or not. The line at an earlier schema version (what a
/// replica that has not upgraded holds of the record) leaves out the columns that version does
/// not have (see ``RecordHashes``).
enum CanonicalRow {
    /// Writes `{"id":…, <fields>…, "conflicts":{…}}` with keys in the table's canonical order.
    ///
    /// - Parameters:
    ///   - table: The record's table.
    ///   - record: The record's id.
    ///   - values: The shown value of each column, by position.
    ///   - conflicts: The other concurrent writes of each column that has any, by position.
    ///   - meta: The record's merge metadata: which columns were written.
    ///   - columnCount: The leading columns to write (the table's columns at an earlier
    ///     version); `nil` for all of them.
    ///   - out: Where the bytes go.
    static func write(
        table: ReplicatedTable,
        record: String,
        values: [FieldValue],
        conflicts: [Int: [FieldWrite]],
        meta: RowMeta,
        columnCount: Int? = nil,
        into out: inout [UInt8]
    ) {
        let limit = columnCount ?? values.count
        let shownConflicts = columnCount == nil ? conflicts : conflicts.filter { $0.key < limit }
        out.append(UInt8(ascii: "{"))
        var first = true
        for (key, position) in table.canonicalKeys {
            if let position, position >= 0 {
                if position >= limit { continue }
                if table.isAddedLater(position) && meta.fields[position] == nil { continue }
            }
            if position == -1, shownConflicts.isEmpty { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: key)
            out.append(contentsOf: "\":".utf8)
            switch position {
            case nil: CanonicalJSON.writeString(record, into: &out)
            case -1: CanonicalJSON.write(.object(members(table: table, conflicts: shownConflicts)), into: &out)
            case let position?: CanonicalJSON.write(values[position], into: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The record's hashes: at the table's latest version, and at each earlier version where
    /// the record differs (a column added since was written).
    ///
    /// - Parameters:
    ///   - table: The record's table.
    ///   - record: The record's id.
    ///   - values: The shown value of each column.
    ///   - conflicts: The other concurrent writes of each column that has any.
    ///   - meta: The record's merge metadata.
    ///   - line: The line at the latest version, already written.
    /// - Returns: The hashes.
    static func hashes(
        table: ReplicatedTable,
        record: String,
        values: [FieldValue],
        conflicts: [Int: [FieldWrite]],
        meta: RowMeta,
        line: [UInt8]
    ) -> RecordHashes {
        var hashes = RecordHashes(current: DigestSum.hash(table: table.name, line: line))
        guard let highest = meta.fields.lastIndex(where: { $0 != nil }), table.isAddedLater(highest) else {
            return hashes
        }
        var previous: (count: Int, hash: [UInt8]?)?
        for version in table.createdIn..<table.addedIn[highest] {
            let count = table.columnCount(at: version)
            if let previous, previous.count == count {
                hashes.past.append((version, previous.hash))
                continue
            }
            var hash: [UInt8]?
            if meta.fields[0..<count].contains(where: { $0 != nil }) {
                var projected: [UInt8] = []
                projected.reserveCapacity(line.count)
                write(
                    table: table,
                    record: record,
                    values: values,
                    conflicts: conflicts,
                    meta: meta,
                    columnCount: count,
                    into: &projected
                )
                hash = DigestSum.hash(table: table.name, line: projected)
            }
            hashes.past.append((version, hash))
            previous = (count, hash)
        }
        return hashes
    }

    private static func members(
        table: ReplicatedTable,
        conflicts: [Int: [FieldWrite]]
    ) -> [(String, CanonicalJSON.Value)] {
        conflicts.keys.sorted().map { position in
            let others = conflicts[position]!.sorted { $0.dot < $1.dot }
            return (table.columns[position].name, .array(others.map(describe)))
        }
    }

    private static func describe(_ write: FieldWrite) -> CanonicalJSON.Value {
        .object([
            ("value", CanonicalJSON.value(write.value)),
            ("origin", .string(write.dot.origin.rawValue)),
            ("seq", .integer(Int64(write.dot.seq))),
            ("hlc", .integer(write.timestamp.rawValue)),
        ])
    }
}
