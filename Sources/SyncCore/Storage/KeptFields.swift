import Foundation
import GRDB

/// The fields of changes written under a newer schema version that this replica does not know
/// yet (a column or a table added since its version), kept as they came until it upgrades.
///
/// A replica on version N that receives a change of version N+1 merges the fields it knows and
/// keeps the others in `crdt_kept`, with the change's identity, timestamp and causal contexts.
/// Its vector may then move over the change: it holds all of it. It relays what it keeps (a
/// batch it builds carries the kept fields beside the merged ones, see
/// ``ReplicaStore/rebuiltChange(_:table:record:dot:schemaVersion:)``), so a change keeps all its
/// fields across an old relay; and when the file is migrated to a version that knows them, the
/// migration merges them into their columns in the same transaction (``merge(_:schema:)``).
/// Nothing has to be sent again.
///
/// A field this replica cannot interpret cannot be merged, so every kept write of a field stays
/// until the upgrade, superseded or not; the upgrade's merge drops the superseded ones.
package enum KeptFields {
    /// A batch split by what this schema knows.
    package struct Split: Sendable {
        /// The changes with only the tables and fields this schema knows.
        package var known: [Change]
        /// The changes of a newer version that write something this schema does not know, with
        /// only those fields.
        package var kept: [Change]
    }

    /// Splits a validated batch: a change of this version or an older one is known whole.
    ///
    /// - Parameters:
    ///   - changes: The batch's changes, validated.
    ///   - schema: The receiver's schema.
    /// - Returns: What the receiver merges, and what it keeps.
    package static func split(_ changes: [Change], schema: Schema) -> Split {
        guard changes.contains(where: { $0.schemaVersion > schema.version }) else {
            return Split(known: changes, kept: [])
        }
        var split = Split(known: [], kept: [])
        split.known.reserveCapacity(changes.count)
        for change in changes {
            guard change.schemaVersion > schema.version else {
                split.known.append(change)
                continue
            }
            guard let table = schema.table(named: change.table) else {
                split.kept.append(change)
                continue
            }
            let unknown = change.fields.filter { table.position(of: $0.key) == nil }
            if unknown.isEmpty {
                split.known.append(change)
                continue
            }
            var known = change
            known.fields = change.fields.filter { table.position(of: $0.key) != nil }
            if !known.fields.isEmpty { split.known.append(known) }
            var kept = change
            kept.fields = unknown
            split.kept.append(kept)
        }
        return split
    }

    // MARK: - Validation

    /// Checks a change written under a newer schema than `schema`.
    ///
    /// What this schema knows of it is checked by the column's type, its merge rule's causal
    /// context and the limit every version shares (``Schema/maxFieldBytes``): a newer version
    /// may have widened a limit or allowed a new value. What it does not know is checked for its
    /// shape: a table or field name, a value of at most ``Schema/maxFieldBytes``, a causal
    /// context (when present) that includes the write itself.
    ///
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidBatch`` or ``SyncError/Code/tooLarge``.
    static func validate(_ change: Change, schema: Schema) throws {
        try ReplicaStore.validateRecordID(change.record, table: String(change.table.prefix(40)))
        guard change.seq >= 1, change.seq < (1 << 62), !change.fields.isEmpty, change.fields.count < 250 else {
            throw SyncError(
                .invalidBatch,
                "\(change.table.prefix(40)) \(change.record) has no field or a bad sequence number"
            )
        }
        guard change.schemaVersion < 256 else {
            throw SyncError(
                .invalidBatch,
                "\(change.table.prefix(40)) \(change.record) claims schema version \(change.schemaVersion)"
            )
        }
        let table = schema.table(named: change.table)
        if table == nil, !ReplicatedColumn.isIdentifier(change.table) {
            throw SyncError(.invalidBatch, "'\(change.table.prefix(40))' is not a table name")
        }
        for (name, field) in change.fields {
            if let table, let column = table.column(named: name) {
                try column.validateShape(field.value, in: table.name)
                if column.rule.isCausal, !(field.context?.contains(change.dot) ?? false) {
                    throw SyncError(
                        .invalidBatch,
                        "\(table.name).\(name) of \(change.record) lacks a causal context that includes its own write"
                    )
                }
                continue
            }
            guard ReplicatedColumn.isIdentifier(name) else {
                throw SyncError(.invalidBatch, "'\(name.prefix(40))' is not a field name")
            }
            if case .text(let text) = field.value, text.utf8.count > Schema.maxFieldBytes {
                throw SyncError(
                    .tooLarge,
                    "\(change.table.prefix(40)).\(name) is \(text.utf8.count) bytes; no version allows more than "
                        + "\(Schema.maxFieldBytes)"
                )
            }
            if let context = field.context, !context.contains(change.dot) {
                throw SyncError(
                    .invalidBatch,
                    "\(change.table.prefix(40)).\(name) of \(change.record) has a causal context without its own write"
                )
            }
        }
    }

    // MARK: - Keeping

    /// Keeps the unknown fields of changes in `crdt_kept`; the changes newly kept that were not
    /// logged already are appended to `logged`, so that they are logged (and relayed) and count
    /// as applied.
    static func keep(
        _ changes: [Change],
        in db: Database,
        local: inout LocalState,
        logged: inout [Change],
        now: Int64
    ) throws {
        guard !changes.isEmpty else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO crdt_kept(origin, seq, col, tbl, row_id, schema, hlc, ctx, value)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        var loggedDots = Set(logged.map(\.dot))
        for change in changes {
            try local.clock.receive(change.timestamp, now: now, origin: change.origin)
            var isNew = false
            for (name, field) in change.fields {
                try insert.execute(arguments: [
                    change.origin.rawValue, Int64(change.seq), name, change.table, change.record,
                    change.schemaVersion, change.timestamp.rawValue, field.context.map { Data($0.encodedBlob()) },
                    field.value.databaseValue,
                ])
                if db.changesCount > 0 { isNew = true }
            }
            if isNew, loggedDots.insert(change.dot).inserted { logged.append(change) }
        }
    }

    /// The kept fields of one change, or `nil` when none.
    static func fields(
        of dot: Dot,
        in db: Database
    ) throws -> (fields: [String: FieldChange], timestamp: HybridTimestamp)? {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT col, hlc, ctx, value FROM crdt_kept WHERE origin = ? AND seq = ?"),
            arguments: [dot.origin.rawValue, Int64(dot.seq)]
        )
        var fields: [String: FieldChange] = [:]
        var timestamp = HybridTimestamp.zero
        while let row = try rows.next() {
            let blob: Data? = row[2]
            let context = try blob.map { blob in
                do { return try VersionVector(decodingBlob: [UInt8](blob)) } catch {
                    throw SyncError(
                        .storage,
                        "a kept field of change \(dot) is damaged; restore the database from a backup"
                    )
                }
            }
            fields[row[0]] = FieldChange(value: FieldValue(row[3] as DatabaseValue), context: context)
            timestamp = HybridTimestamp(rawValue: row[1])
        }
        return fields.isEmpty ? nil : (fields, timestamp)
    }

    /// The dots that still have kept fields on a record (log collection keeps their entries).
    static func dots(table: String, record: String, in db: Database) throws -> Set<Dot> {
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT DISTINCT origin, seq FROM crdt_kept WHERE tbl = ? AND row_id = ?"),
            arguments: [table, record]
        )
        var dots: Set<Dot> = []
        while let row = try rows.next() {
            dots.insert(Dot(origin: ReplicaID(validated: row[0]), seq: UInt64(row[1] as Int64)))
        }
        return dots
    }

    // MARK: - Upgrading

    /// Merges the kept fields that `schema` knows into their rows, as an apply would.
    ///
    /// It forgets them; fields of versions still newer stay kept. Runs inside the migration's
    /// transaction.
    ///
    /// A kept value that breaks its column's declaration (which no honest writer produces) is
    /// dropped: no replica that knows the column would accept it.
    static func merge(_ db: Database, schema: Schema) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM crdt_kept)") == true,
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM crdt_self)") == true
        else { return }
        var local = try LocalState.load(db, maxDriftMillis: .max)
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT origin, seq, col, tbl, row_id, schema, hlc, ctx, value FROM crdt_kept ORDER BY origin, seq"
        )
        var changes: [Dot: Change] = [:]
        var order: [Dot] = []
        let forget = try db.cachedStatement(sql: "DELETE FROM crdt_kept WHERE origin = ? AND seq = ? AND col = ?")
        for row in rows {
            guard let table = schema.table(named: row["tbl"]), let column = table.column(named: row["col"]) else {
                continue
            }
            let (origin, seq, name): (String, Int64, String) = (row["origin"], row["seq"], row["col"])
            let dot = Dot(origin: ReplicaID(validated: origin), seq: UInt64(seq))
            try forget.execute(arguments: [origin, seq, name])
            let blob: Data? = row["ctx"]
            let context = try? blob.map { try VersionVector(decodingBlob: [UInt8]($0)) }
            let field = FieldChange(value: FieldValue(row["value"] as DatabaseValue), context: context ?? nil)
            let version: Int = row["schema"]
            let strict = version <= schema.version
            if strict
                ? (try? column.validate(field.value, in: table.name)) == nil
                : (try? column.validateShape(field.value, in: table.name)) == nil
            {
                continue
            }
            if column.rule.isCausal, !(field.context?.contains(dot) ?? false) { continue }
            if changes[dot] == nil {
                order.append(dot)
                changes[dot] = Change(
                    table: table.name,
                    record: row["row_id"],
                    origin: dot.origin,
                    seq: dot.seq,
                    timestamp: HybridTimestamp(rawValue: row["hlc"]),
                    schemaVersion: version,
                    fields: [:]
                )
            }
            changes[dot]!.fields[column.name] = field
        }
        for dot in order {
            let change = changes[dot]!
            let access = RowAccess(db: db, table: schema.table(named: change.table)!)
            var row = try access.load(change.record)
            if try access.merge(change, into: &row, record: change.record) {
                try access.save(change.record, &row, sum: &local.sum)
            }
        }
        try local.save(db)
    }
}
