import GRDB

/// Where a collection pass stopped: the last record whose change-log entries it examined.
///
/// Records are examined in the order of the change log's record index (table, then record id);
/// the next pass starts after this one.
public struct CollectionPosition: Hashable, Sendable, Codable {
    /// The record's table.
    public var table: String
    /// The record's id.
    public var record: String

    /// A position after one record.
    ///
    /// - Parameters:
    ///   - table: The record's table.
    ///   - record: The record's id.
    public init(table: String, record: String) {
        self.table = table
        self.record = record
    }
}

/// What one collection pass of the change log did.
public struct CollectionResult: Hashable, Sendable, Codable {
    /// Records whose log entries were examined.
    public var recordsExamined: Int
    /// Change-log entries removed.
    public var entriesRemoved: Int
    /// Where the next pass starts, or `nil` when this pass reached the end of the log.
    public var next: CollectionPosition?

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - recordsExamined: Records whose log entries were examined.
    ///   - entriesRemoved: Log entries removed.
    ///   - next: Where the next pass starts, `nil` at the end of the log.
    public init(recordsExamined: Int, entriesRemoved: Int, next: CollectionPosition?) {
        self.recordsExamined = recordsExamined
        self.entriesRemoved = entriesRemoved
        self.next = next
    }
}

extension ReplicaStore {
    /// The default number of records one collection pass examines.
    public static let defaultCollectionLimit = 2_000

    /// The default retention of the change log's superseded entries, in days.
    public static let defaultLogRetentionDays = 30

    /// Removes the change-log entries that no longer contribute anything, for a bounded number of
    /// records, in one transaction.
    ///
    /// The log keeps one entry per change: which record it touched, when and by whom. A batch
    /// rebuilds each logged change from the record's current state, so an entry none of whose
    /// fields is still shown, or kept as a concurrent value, sends nothing: the batch's covered
    /// ranges already move a receiver past it. This pass removes such an entry when
    ///
    /// - no field of the record's current state and none of its concurrent values
    ///   (`crdt_conflict`) comes from the entry's change;
    /// - the entry is older than `retention` by its timestamp (recent edits stay in the record's
    ///   ``history(table:record:)``);
    /// - the entry is not the newest entry of its origin for that record: the origins that wrote
    ///   a record decide which province a relay sends it to (see ``OriginFilter``).
    ///
    /// Rows, conflict records, the running digest and the version vector do not change, and no
    /// batch built afterwards lacks a value: every entry that still carries one stays. Tombstoned
    /// rows keep their merge metadata (see Docs/ARCHITECTURE.md for why).
    ///
    /// Call it again with ``CollectionResult/next`` until that is `nil`; each call is a short
    /// write transaction, so syncs and local writes go on between calls.
    ///
    /// ```swift
    /// var position: CollectionPosition?
    /// repeat {
    ///     let pass = try store.collect(retention: .seconds(30 * 86_400), after: position)
    ///     position = pass.next
    /// } while position != nil
    /// ```
    ///
    /// - Parameters:
    ///   - retention: How old an entry must be to go (zero allowed: every superseded entry
    ///     written before now).
    ///   - position: Where the previous pass stopped; `nil` to start at the beginning.
    ///   - limit: The most records to examine (positive).
    /// - Returns: What the pass examined and removed, and where the next one starts.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` for a negative retention
    ///   or a limit below 1; ``SyncError`` when the database cannot be written (nothing changes).
    public func collect(
        retention: Duration,
        after position: CollectionPosition? = nil,
        limit: Int = ReplicaStore.defaultCollectionLimit
    ) throws -> CollectionResult {
        guard limit > 0 else {
            throw SyncError(.invalidArgument, "a collection pass must examine at least one record")
        }
        let cutoff = try LogCollection.cutoff(retention: retention, now: wallClock())
        return try write { db in
            let records = try Self.loggedRecords(db, after: position, limit: limit)
            var removed = 0
            for (table, record) in records {
                removed += try collect(db, table: table, record: record, before: cutoff)
            }
            let next =
                records.count < limit
                ? nil : records.last.map { CollectionPosition(table: $0.table, record: $0.record) }
            return CollectionResult(recordsExamined: records.count, entriesRemoved: removed, next: next)
        }
    }

    /// Gives the space of removed rows back to the file system (SQLite's `VACUUM`).
    ///
    /// Rewrites the whole file, so it needs as much free disk space as the database takes and
    /// holds the write lock while it runs; run it after ``collect(retention:after:limit:)``, at a
    /// quiet time.
    ///
    /// ```swift
    /// try store.vacuum()
    /// ```
    ///
    /// - Throws: ``SyncError`` when the file cannot be rewritten (it stays as it was).
    public func vacuum() throws {
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw StorageFailure.error(error, path: path, action: .write)
        }
    }

    // MARK: - One record

    /// The next records of the log, in the order of its record index.
    private static func loggedRecords(
        _ db: Database,
        after position: CollectionPosition?,
        limit: Int
    ) throws -> [(table: String, record: String)] {
        let rows: [Row]
        if let position {
            rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT tbl, row_id FROM crdt_log WHERE (tbl, row_id) > (?, ?)
                    ORDER BY tbl, row_id LIMIT ?
                    """,
                arguments: [position.table, position.record, limit]
            )
        } else {
            rows = try Row.fetchAll(
                db,
                sql: "SELECT DISTINCT tbl, row_id FROM crdt_log ORDER BY tbl, row_id LIMIT ?",
                arguments: [limit]
            )
        }
        return rows.map { row in (table: row[0] as String, record: row[1] as String) }
    }

    /// Removes the collectable entries of one record stamped before `cutoff`.
    ///
    /// - Returns: How many entries went.
    private func collect(_ db: Database, table name: String, record: String, before cutoff: Int64) throws -> Int {
        let entries = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT origin, seq, hlc FROM crdt_log WHERE tbl = ? AND row_id = ?"),
            arguments: [name, record]
        ).map { row in
            LogCollection.Entry(
                dot: Dot(origin: ReplicaID(validated: row[0]), seq: UInt64(row[1] as Int64)),
                hlc: row[2]
            )
        }
        guard let table = schema.table(named: name) else { return 0 }
        let collectable = try LogCollection.collectable(entries, before: cutoff) {
            var inUse = try RowAccess(db: db, table: table).load(record).meta.dots
            inUse.formUnion(try KeptFields.dots(table: name, record: record, in: db))
            let conflicts = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT origin, seq FROM crdt_conflict WHERE tbl = ? AND row_id = ?"),
                arguments: [name, record]
            )
            while let row = try conflicts.next() {
                inUse.insert(Dot(origin: ReplicaID(validated: row[0]), seq: UInt64(row[1] as Int64)))
            }
            return inUse
        }
        let delete = try db.cachedStatement(sql: "DELETE FROM crdt_log WHERE origin = ? AND seq = ?")
        for dot in collectable { try delete.execute(arguments: [dot.origin.rawValue, Int64(dot.seq)]) }
        return collectable.count
    }
}

// MARK: - The whole log

/// What a whole collection run (every pass, then `VACUUM` if asked) did, as the `compact`
/// commands report it.
package struct CompactionReport: Hashable, Sendable, Codable {
    /// The retention applied, in days.
    package var keepDays: Int
    /// Collection passes run (transactions).
    package var passes: Int
    /// Records whose log entries were examined.
    package var recordsExamined: Int
    /// Change-log entries removed.
    package var entriesRemoved: Int
    /// The database's size before, in bytes (pages times page size).
    package var bytesBefore: Int64
    /// The database's size after, in bytes.
    package var bytesAfter: Int64
    /// The bytes of free pages inside the file after (given back only by `VACUUM`).
    package var freeBytesAfter: Int64
    /// Whether `VACUUM` ran.
    package var vacuumed: Bool

    /// The retentions `compact --keep-days` accepts, in days.
    package static let keepDaysRange = 0...36_500

    /// A report before any pass: nothing examined, the size unchanged, no `VACUUM`.
    ///
    /// - Parameters:
    ///   - keepDays: The retention, in days.
    ///   - bytesBefore: The database's size before, in bytes.
    ///   - freeBytes: The bytes of free pages inside the file.
    package init(keepDays: Int, bytesBefore: Int64, freeBytes: Int64 = 0) {
        self.keepDays = keepDays
        passes = 0
        recordsExamined = 0
        entriesRemoved = 0
        self.bytesBefore = bytesBefore
        bytesAfter = bytesBefore
        freeBytesAfter = freeBytes
        vacuumed = false
    }

    /// Counts one collection pass.
    ///
    /// - Parameter pass: What the pass did.
    package mutating func add(_ pass: CollectionResult) {
        passes += 1
        recordsExamined += pass.recordsExamined
        entriesRemoved += pass.entriesRemoved
    }

    /// The report as both programs' `compact` print it.
    package var text: String {
        var lines = [
            "removed \(entriesRemoved) superseded change-log entr\(entriesRemoved == 1 ? "y" : "ies") "
                + "older than \(keepDays) day(s), from \(recordsExamined) record(s)",
            "database: \(bytesBefore) bytes before, \(bytesAfter) bytes after",
        ]
        if !vacuumed && freeBytesAfter > 0 {
            lines.append(
                "\(freeBytesAfter) bytes are free inside the file; run with --vacuum to give them back to the disk"
            )
        }
        return lines.joined(separator: "\n")
    }
}

extension ReplicaStore {
    /// Runs collection passes over the whole log, each its own transaction, then `VACUUM` if asked.
    ///
    /// - Parameters:
    ///   - keepDays: The retention, in days (0 or more).
    ///   - vacuum: Whether to give the freed space back to the file system.
    /// - Returns: What was done.
    /// - Throws: ``SyncError`` from a pass or from `VACUUM`; passes already run stay done.
    package func compact(keepDays: Int, vacuum: Bool) throws -> CompactionReport {
        let before = try databaseSize()
        var report = CompactionReport(keepDays: keepDays, bytesBefore: before.total, freeBytes: before.free)
        report.vacuumed = vacuum
        var position: CollectionPosition?
        repeat {
            let pass = try collect(retention: .seconds(Int64(keepDays) * 86_400), after: position)
            report.add(pass)
            position = pass.next
        } while position != nil
        if vacuum { try self.vacuum() }
        let after = try databaseSize()
        report.bytesAfter = after.total
        report.freeBytesAfter = after.free
        return report
    }

    /// The database's size and the part of it in free pages, in bytes.
    package func databaseSize() throws -> (total: Int64, free: Int64) {
        try read { db in
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let free = try Int64.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            return (pages * pageSize, free * pageSize)
        }
    }
}
