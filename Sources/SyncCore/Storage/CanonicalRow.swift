/// The canonical object of one record, as the export writes it and as its digest hash covers.
///
/// Both stores write it through this one function, so a record merged in SQLite and the same
/// record merged in PostgreSQL hash to the same bytes.
enum CanonicalRow {
    /// Writes `{"id":…, <fields>…, "conflicts":{…}}` with keys in the table's canonical order.
    ///
    /// - Parameters:
    ///   - table: The record's table.
    ///   - record: The record's id.
    ///   - values: The shown value of each column, by position.
    ///   - conflicts: The other concurrent writes of each column that has any, by position.
    ///   - out: Where the bytes go.
    static func write(
        table: ReplicatedTable,
        record: String,
        values: [FieldValue],
        conflicts: [Int: [FieldWrite]],
        into out: inout [UInt8]
    ) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for (key, position) in table.canonicalKeys {
            if position == -1, conflicts.isEmpty { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: key)
            out.append(contentsOf: "\":".utf8)
            switch position {
            case nil: CanonicalJSON.writeString(record, into: &out)
            case -1: CanonicalJSON.write(.object(members(table: table, conflicts: conflicts)), into: &out)
            case let position?: CanonicalJSON.write(values[position], into: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
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
