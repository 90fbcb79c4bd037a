import PostgresNIO
package import SyncCore

// MARK: - Log collection

/// The change log's collection on PostgreSQL, by the rule every store applies
/// (``LogCollection``): the same entries go as on a SQLite hub holding the same changes.
extension PostgresHubStore {
    /// Removes the log entries of a bounded number of records that no longer carry anything, in
    /// one transaction (as ``ReplicaStore/collect(retention:after:limit:)`` does).
    ///
    /// The pass takes the row lock that every apply takes first, so it runs between batches, and
    /// a batch waits for one pass at most.
    ///
    /// - Parameters:
    ///   - retention: How old an entry must be to go (zero allowed).
    ///   - position: Where the previous pass stopped; `nil` to start at the beginning.
    ///   - limit: The most records to examine (positive).
    /// - Returns: What the pass examined and removed, and where the next one starts.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` for a negative retention or
    ///   a limit below 1; ``SyncError`` when the database cannot be written (nothing changes).
    package func collect(
        retention: Duration,
        after position: CollectionPosition? = nil,
        limit: Int = ReplicaStore.defaultCollectionLimit
    ) async throws -> CollectionResult {
        guard limit > 0 else {
            throw SyncError(.invalidArgument, "a collection pass must examine at least one record")
        }
        let cutoff = try LogCollection.cutoff(retention: retention, now: wallClock())
        return try await wrapping("collect the change log") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT 1 FROM hub_self WHERE singleton = 1 FOR UPDATE", logger: logger)
                let records = try await loggedRecords(after: position, limit: limit, on: connection)
                guard let first = records.first, let last = records.last else {
                    return CollectionResult(recordsExamined: 0, entriesRemoved: 0, next: nil)
                }
                let entries = try await logEntries(from: first, through: last, on: connection)
                let inUse = try await dotsInUse(from: first, through: last, on: connection)
                var origins: [String] = []
                var sequences: [Int64] = []
                // A table this version does not know yet is left alone, as on SQLite.
                for record in records where schema.table(named: record.table) != nil {
                    let dots = LogCollection.collectable(entries[record] ?? [], before: cutoff) {
                        inUse[record] ?? []
                    }
                    for dot in dots {
                        origins.append(dot.origin.rawValue)
                        sequences.append(Int64(dot.seq))
                    }
                }
                if !origins.isEmpty {
                    try await connection.query(
                        """
                        DELETE FROM hub_log WHERE (origin, seq) IN (
                            SELECT * FROM unnest(\(origins)::text[], \(sequences)::bigint[]))
                        """,
                        logger: logger
                    )
                }
                let next = records.count < limit ? nil : CollectionPosition(table: last.table, record: last.record)
                return CollectionResult(recordsExamined: records.count, entriesRemoved: origins.count, next: next)
            }
        }
    }

    /// Runs collection passes over the whole log, each its own transaction.
    ///
    /// - Parameter keepDays: The retention, in days (0 or more).
    /// - Returns: What was done; the sizes are the database's (PostgreSQL reuses the freed space
    ///   itself, so nothing is vacuumed here).
    /// - Throws: ``SyncError`` from a pass; passes already run stay done.
    package func compact(keepDays: Int) async throws -> CompactionReport {
        let before = try await databaseSize()
        var report = CompactionReport(keepDays: keepDays, bytesBefore: before)
        var position: CollectionPosition?
        repeat {
            let pass = try await collect(retention: .seconds(Int64(keepDays) * 86_400), after: position)
            report.add(pass)
            position = pass.next
        } while position != nil
        report.bytesAfter = try await databaseSize()
        return report
    }

    /// The database's size, in bytes.
    private func databaseSize() async throws -> Int64 {
        try await wrapping("read the database's size") {
            let rows = try await client.query("SELECT pg_database_size(current_database())", logger: logger)
            for try await size in rows.decode(Int64.self) { return size }
            return 0
        }
    }

    /// The next records of the log, in the order of its record index.
    private func loggedRecords(
        after position: CollectionPosition?,
        limit: Int,
        on connection: PostgresConnection
    ) async throws -> [RecordKey] {
        let rows =
            if let position {
                try await connection.query(
                    """
                    SELECT DISTINCT tbl, row_id FROM hub_log WHERE (tbl, row_id) > (\(position.table), \(position.record))
                    ORDER BY tbl, row_id LIMIT \(limit)
                    """,
                    logger: logger
                )
            } else {
                try await connection.query(
                    "SELECT DISTINCT tbl, row_id FROM hub_log ORDER BY tbl, row_id LIMIT \(limit)",
                    logger: logger
                )
            }
        var records: [RecordKey] = []
        for try await (table, record) in rows.decode((String, String).self) {
            records.append(RecordKey(table: table, record: record))
        }
        return records
    }

    /// The log entries of the records from `first` through `last`, in index order.
    private func logEntries(
        from first: RecordKey,
        through last: RecordKey,
        on connection: PostgresConnection
    ) async throws -> [RecordKey: [LogCollection.Entry]] {
        let rows = try await connection.query(
            """
            SELECT tbl, row_id, origin, seq, hlc FROM hub_log
            WHERE (tbl, row_id) >= (\(first.table), \(first.record)) AND (tbl, row_id) <= (\(last.table), \(last.record))
            """,
            logger: logger
        )
        var entries: [RecordKey: [LogCollection.Entry]] = [:]
        for try await (table, record, origin, seq, hlc) in rows.decode((String, String, String, Int64, Int64).self) {
            let dot = Dot(origin: try ReplicaID(parsing: origin), seq: UInt64(seq))
            entries[RecordKey(table: table, record: record), default: []].append(
                LogCollection.Entry(dot: dot, hlc: hlc)
            )
        }
        return entries
    }

    /// The dots the records from `first` through `last` still carry: winners, concurrent values,
    /// and fields kept for a newer schema version.
    private func dotsInUse(
        from first: RecordKey,
        through last: RecordKey,
        on connection: PostgresConnection
    ) async throws -> [RecordKey: Set<Dot>] {
        var dots: [RecordKey: Set<Dot>] = [:]
        let records = try await connection.query(
            """
            SELECT tbl, row_id, vals, meta, others FROM hub_record
            WHERE (tbl, row_id) >= (\(first.table), \(first.record)) AND (tbl, row_id) <= (\(last.table), \(last.record))
            """,
            logger: logger
        )
        for try await (table, record, vals, meta, others) in records.decode(
            (String, String, ByteBuffer, ByteBuffer, ByteBuffer).self
        ) {
            guard let declared = schema.table(named: table) else { continue }
            let state = try RecordState(
                table: declared,
                values: Array(vals.readableBytesView),
                meta: Array(meta.readableBytesView),
                others: Array(others.readableBytesView)
            )
            dots[RecordKey(table: table, record: record), default: []].formUnion(state.dots)
        }
        let kept = try await connection.query(
            """
            SELECT tbl, row_id, origin, seq FROM hub_kept
            WHERE (tbl, row_id) >= (\(first.table), \(first.record)) AND (tbl, row_id) <= (\(last.table), \(last.record))
            """,
            logger: logger
        )
        for try await (table, record, origin, seq) in kept.decode((String, String, String, Int64).self) {
            dots[RecordKey(table: table, record: record), default: []].insert(
                Dot(origin: try ReplicaID(parsing: origin), seq: UInt64(seq))
            )
        }
        return dots
    }
}
