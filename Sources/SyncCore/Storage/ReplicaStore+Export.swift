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
            var bytes: [UInt8] = first ? [] : [UInt8(ascii: ",")]
            first = false
            try access.writeCanonicalRow(id, try access.load(id), into: &bytes)
            try sink(bytes)
        }
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

    /// The digest of the merged state, in lowercase hex.
    ///
    /// Every record has a hash: SHA-256 of its table name, a newline and its line in the
    /// canonical export (``exportCanonicalJSON(_:)``). The digest is SHA-256 of
    /// `essaouira-state-v1 schema <version>\n` followed by the sum of those hashes modulo 2^256
    /// (32 bytes, big-endian). The sum is kept up to date by every write and apply, so reading
    /// the digest costs the same on an empty database and on a million records, and anyone can
    /// recompute it from an export. Two replicas that have exchanged everything show the same
    /// digest, on any machine and any backend.
    ///
    /// ```swift
    /// try laptop.digest() == (try hub.digest())
    /// ```
    ///
    /// - Returns: 64 hex characters.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func digest() throws -> String {
        try digest(schemaVersion: schema.version)
    }

    /// The digest of the merged state as a replica on an earlier schema version holds it.
    ///
    /// That replica holds every record without the columns and tables its version lacks (it
    /// keeps their changes aside until it upgrades), so its digest is computed over that view;
    /// this store keeps the sum of each earlier version up to date beside its own, and answers
    /// it at the same cost as ``digest()``. A peer on version `v` that holds everything it can
    /// shows the digest this returns for `v`.
    ///
    /// ```swift
    /// try hub.digest(schemaVersion: 1) == (try officeOnVersion1.digest())
    /// ```
    ///
    /// - Parameter schemaVersion: From 1 to this store's version.
    /// - Returns: 64 hex characters.
    /// - Throws: ``SyncError`` with ``SyncError/Code/schemaMismatch`` for a version above this
    ///   store's, or when the database cannot be read.
    public func digest(schemaVersion: Int) throws -> String {
        guard (1...schema.version).contains(schemaVersion) else {
            throw SyncError(
                .schemaMismatch,
                "this replica is on schema version \(schema.version) and cannot compute a digest of version "
                    + "\(schemaVersion); upgrade it"
            )
        }
        let sum = try read { db in
            var sum = DigestSum(stored: try LocalState.Stored.read(db).sum)
            if schemaVersion < schema.version { sum.add(try DigestTable.delta(at: schemaVersion, db).bytes) }
            return sum
        }
        return sum.digest(schemaVersion: schemaVersion)
    }

    /// The digest recomputed from every record, ignoring the running sum: a check of ``digest()``.
    ///
    /// - Returns: 64 hex characters, equal to ``digest()`` unless the database was altered by
    ///   something other than this engine.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func recomputedDigest() throws -> String {
        try recomputedDigest(schemaVersion: schema.version)
    }

    /// The digest of an earlier schema version recomputed from every record: a check of
    /// ``digest(schemaVersion:)``.
    ///
    /// - Parameter schemaVersion: From 1 to this store's version.
    /// - Returns: 64 hex characters.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func recomputedDigest(schemaVersion: Int) throws -> String {
        try read { db in
            var sum = DigestSum.zero
            for table in schema.tables {
                let access = RowAccess(db: db, table: table)
                let ids = try String.fetchCursor(db, sql: "SELECT id FROM \(table.name)")
                while let id = try ids.next() {
                    let hashes = try access.recomputedHashes(id, try access.load(id))
                    if let hash = hashes.contribution(at: schemaVersion, table: table) { sum.add(hash) }
                }
            }
            return sum.digest(schemaVersion: schemaVersion)
        }
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

    /// The merged states of several fields, read in one transaction (as ``fieldState(table:record:column:)``
    /// reads one).
    ///
    /// - Parameter fields: Each field's table, record and column.
    /// - Returns: The states, in the order asked.
    /// - Throws: ``SyncError`` for an unknown table or column, or when the database cannot be read.
    public func fieldStates(_ fields: [(table: String, record: String, column: String)]) throws -> [FieldState] {
        let positions = try fields.map { field -> (ReplicatedTable, Int) in
            guard let replicated = schema.table(named: field.table),
                let position = replicated.position(of: field.column)
            else {
                throw SyncError(.invalidArgument, "unknown field \(field.table.prefix(40)).\(field.column.prefix(40))")
            }
            return (replicated, position)
        }
        return try read { db in
            try zip(fields, positions).map { field, located in
                let access = RowAccess(db: db, table: located.0)
                return try access.state(of: located.1, in: try access.load(field.record), record: field.record)
            }
        }
    }
}
