import Crypto
import Foundation
import GRDB

extension ReplicaStore {
    /// Writes the canonical JSON export of the merged state, piece by piece.
    ///
    /// The export holds every replicated table, its records sorted by id, each field's shown
    /// value, and for each field with concurrent values the others (`conflicts`: value, origin,
    /// sequence, timestamp). Field metadata and version vectors are left out: two replicas that
    /// have exchanged everything export the same bytes. The format is described by
    /// `CanonicalJSON` and Docs/PROTOCOL.md.
    ///
    /// ```swift
    /// try store.exportCanonicalJSON { chunk in FileHandle.standardOutput.write(Data(chunk)) }
    /// ```
    ///
    /// - Parameter sink: Receives the export's bytes in order.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func exportCanonicalJSON(_ sink: ([UInt8]) throws -> Void) throws {
        try read { db in
            try sink(Array("{\"schema\":\(schema.version),\"tables\":{".utf8))
            let tables = schema.tables.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            for (index, table) in tables.enumerated() {
                var head: [UInt8] = index > 0 ? [UInt8(ascii: ",")] : []
                CanonicalJSON.writeString(table.name, into: &head)
                head.append(contentsOf: ":[".utf8)
                try sink(head)
                try exportRows(db, table: table, sink: sink)
                try sink([UInt8(ascii: "]")])
            }
            try sink(Array("}}".utf8))
        }
    }

    private func exportRows(_ db: Database, table: ReplicatedTable, sink: ([UInt8]) throws -> Void) throws {
        let access = RowAccess(db: db, table: table)
        let ids = try String.fetchCursor(db, sql: "SELECT id FROM \(table.name) ORDER BY CAST(id AS BLOB)")
        var first = true
        while let id = try ids.next() {
            let row = try access.load(id)
            var members: [(String, CanonicalJSON.Value)] = [("id", .string(id))]
            var conflicts: [(String, CanonicalJSON.Value)] = []
            for (position, column) in table.columns.enumerated() {
                members.append((column.name, CanonicalJSON.value(row.values[position])))
                guard let meta = row.meta.fields[position], meta.extraCount > 0 else { continue }
                let others = try access.state(of: position, in: row, record: id).writes.dropFirst()
                conflicts.append((column.name, .array(others.sorted { $0.dot < $1.dot }.map(Self.describe))))
            }
            if !conflicts.isEmpty { members.append(("conflicts", .object(conflicts))) }
            var bytes: [UInt8] = first ? [] : [UInt8(ascii: ",")]
            first = false
            CanonicalJSON.write(.object(members), into: &bytes)
            try sink(bytes)
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

    /// The canonical export as one byte array.
    ///
    /// - Returns: The UTF-8 JSON bytes.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func exportCanonicalJSON() throws -> [UInt8] {
        var bytes: [UInt8] = []
        try exportCanonicalJSON { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// The digest of the merged state: SHA-256 of the canonical export, in lowercase hex.
    ///
    /// Two replicas that have exchanged everything show the same digest, on any machine.
    ///
    /// ```swift
    /// try laptop.digest() == (try hub.digest())
    /// ```
    ///
    /// - Returns: 64 hex characters.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func digest() throws -> String {
        var hasher = SHA256()
        try exportCanonicalJSON { hasher.update(data: $0) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The merged state of one field: its shown value and any concurrent ones.
    ///
    /// - Parameters:
    ///   - table: The table.
    ///   - record: The record's id.
    ///   - column: The field.
    /// - Returns: The field's state (empty when never written).
    /// - Throws: ``SyncError`` for an unknown table or field.
    public func fieldState(table: String, record: String, column: String) throws -> FieldState {
        guard let replicated = schema.table(named: table), let position = replicated.position(of: column) else {
            throw SyncError(.invalidArgument, "unknown field \(table.prefix(40)).\(column.prefix(40))")
        }
        return try read { db in
            let access = RowAccess(db: db, table: replicated)
            return try access.state(of: position, in: try access.load(record), record: record)
        }
    }
}
