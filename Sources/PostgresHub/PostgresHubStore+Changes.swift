import Logging
import PostgresNIO
package import SyncCore

extension PostgresHubStore {
    /// The changes a peer with vector `since` lacks, at most `limit` records, read in one
    /// repeatable-read snapshot so the vector and the records agree.
    ///
    /// The batch is built as ``ReplicaStore/changes(since:limit:)`` builds it: by origin, then
    /// sequence, with field values read from the current records and covered ranges that let the
    /// receiver's vector move past superseded changes.
    ///
    /// - Parameters:
    ///   - since: What the peer has.
    ///   - limit: The most records.
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage``.
    package func changes(since: VersionVector, limit: Int) async throws -> ChangeBatch {
        try await changes(since: since, limit: limit, filter: .all)
    }

    /// The changes a peer with vector `since` lacks, of the origins a filter admits, at most
    /// `limit` records, as ``ReplicaStore/changes(since:limit:filter:)`` selects them: refused
    /// origins get neither changes nor covered ranges, and a relay's shared origins send only
    /// their changes to records one of the relay's origins wrote.
    ///
    /// - Parameters:
    ///   - since: What the peer has.
    ///   - limit: The most records.
    ///   - filter: The origins that may be sent.
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage``.
    package func changes(since: VersionVector, limit: Int, filter: OriginFilter) async throws -> ChangeBatch {
        precondition(limit > 0, "a batch limit must be positive")
        return try await wrapping("read changes") {
            try await client.withConnection { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    let batch = try await changes(since: since, limit: limit, filter: filter, on: connection)
                    try await connection.query("COMMIT", logger: logger)
                    return batch
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    private func changes(
        since: VersionVector,
        limit: Int,
        filter: OriginFilter,
        on connection: PostgresConnection
    ) async throws
        -> ChangeBatch
    {
        var assembler = BatchAssembler(
            vector: try await Self.loadVector(connection, logger: logger),
            since: since,
            limit: limit,
            filter: filter,
            schemaVersion: schema.version
        )
        while let scan = assembler.nextScan() { assembler.record(try await scanLog(scan, on: connection)) }
        return assembler.batch
    }

    /// Reads the log of one origin over `after < seq <= through`, at most `limit` entries; with a
    /// `scope`, sends only the changes to records that one of the scope's origins wrote.
    private func scanLog(
        _ scan: BatchAssembler.Scan,
        on connection: PostgresConnection
    ) async throws
        -> BatchAssembler.Found
    {
        let (origin, after, through, limit, scope) = (scan.origin, scan.after, scan.through, scan.limit, scan.scope)
        let rows = try await connection.query(
            """
            SELECT l.seq, l.tbl, l.row_id, l.schema, r.vals, r.meta, r.others
            FROM hub_log l LEFT JOIN hub_record r ON r.tbl = l.tbl AND r.row_id = l.row_id
            WHERE l.origin = \(origin.rawValue) AND l.seq > \(Int64(after)) AND l.seq <= \(Int64(through))
            ORDER BY l.seq LIMIT \(limit)
            """,
            logger: logger
        )
        // Read the rows whole first (at most `limit`): a relay's scope check queries the same
        // connection, which runs one query at a time.
        // A record of a table this schema does not know has no row (its change is kept whole).
        var entries: [(Int64, String, String, Int, ByteBuffer?, ByteBuffer?, ByteBuffer?)] = []
        for try await entry in rows.decode((Int64, String, String, Int, ByteBuffer?, ByteBuffer?, ByteBuffer?).self) {
            entries.append(entry)
        }
        var found = BatchAssembler.Found(coveredThrough: through)
        var lastSeq = after
        for (seq, tbl, id, schemaVersion, vals, meta, others) in entries {
            lastSeq = UInt64(seq)
            found.scanned += 1
            if let scope, try await !isWritten(table: tbl, record: id, byAnyOf: scope, on: connection) { continue }
            let dot = Dot(origin: origin, seq: UInt64(seq))
            var change: Change?
            if let table = schema.table(named: tbl), let vals, let meta, let others {
                let state = try RecordState(
                    table: table,
                    values: Array(vals.readableBytesView),
                    meta: Array(meta.readableBytesView),
                    others: Array(others.readableBytesView)
                )
                change = state.change(made: dot, record: id, schemaVersion: schemaVersion)
            }
            // A change of a newer version: the fields this hub keeps without knowing them.
            if schemaVersion > schema.version, let kept = try await keptFields(of: dot, on: connection) {
                var whole =
                    change
                    ?? Change(
                        table: tbl,
                        record: id,
                        origin: origin,
                        seq: UInt64(seq),
                        timestamp: kept.timestamp,
                        schemaVersion: schemaVersion,
                        fields: [:]
                    )
                whole.fields.merge(kept.fields) { shown, _ in shown }
                change = whole
            }
            if let change { found.changes.append(change) }
        }
        if found.scanned == limit { found.coveredThrough = lastSeq }
        return found
    }

    /// Whether one of `origins` wrote a record (the log names every writer).
    private func isWritten(
        table: String,
        record: String,
        byAnyOf origins: Set<ReplicaID>,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT DISTINCT origin FROM hub_log WHERE tbl = \(table) AND row_id = \(record)",
            logger: logger
        )
        var written = false
        for try await writer in rows.decode(String.self) where origins.contains(try ReplicaID(parsing: writer)) {
            written = true
        }
        return written
    }
}
