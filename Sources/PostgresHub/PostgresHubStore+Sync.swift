package import Logging
package import PostgresNIO
package import SyncCore

// MARK: - SyncStore

extension PostgresHubStore: SyncStore {
    /// The hub has no earlier identity in PostgreSQL: its database is never copied as a file.
    package var previousReplicaID: ReplicaID? { nil }

    package func vector() async throws -> VersionVector {
        try await wrapping("read the version vector") {
            try await client.withConnection { connection in try await Self.loadVector(connection, logger: logger) }
        }
    }

    package func digest() async throws -> String {
        try await digest(schemaVersion: schema.version)
    }

    package func apply(_ batch: ChangeBatch) async throws -> ApplyResult {
        try batch.validate(against: schema, maxDriftMillis: maxDriftMillis, now: wallClock())
        let now = wallClock()
        return try await wrapping("apply a batch") {
            try await client.withTransaction(logger: logger) { connection in
                try await apply(batch, now: now, on: connection)
            }
        }
    }

    /// Applies a validated batch inside the caller's transaction.
    package func apply(_ batch: ChangeBatch, now: Int64, on connection: PostgresConnection) async throws -> ApplyResult
    {
        // The lock on the one hub_self row serializes batches across processes (see the type's doc).
        let selfRows = try await connection.query(
            "SELECT hlc, digest_sum FROM hub_self WHERE singleton = 1 FOR UPDATE",
            logger: logger
        )
        var clock = HybridLogicalClock(last: .zero, maxDriftMillis: maxDriftMillis)
        var sum = DigestState(current: .zero)
        for try await (hlc, stored) in selfRows.decode((Int64, ByteBuffer).self) {
            clock = HybridLogicalClock(last: HybridTimestamp(rawValue: hlc), maxDriftMillis: maxDriftMillis)
            sum = DigestState(current: DigestSum(stored: Array(stored.readableBytesView)))
        }
        // This hub writes no changes of its own on PostgreSQL: its own identity has written nothing.
        let held = try await Self.loadVector(connection, logger: logger)
        try batch.checkClaims(receiver: replicaID, ownSequence: 0, vector: held)
        let split = KeptFields.split(batch.changes, schema: schema)
        var records = try await loadRecords(split.known, on: connection)
        var dirty: Set<RecordKey> = []
        var logged: [Change] = []
        for change in split.known {
            try clock.receive(change.timestamp, now: now, origin: change.origin)
            let key = RecordKey(table: change.table, record: change.record)
            guard var loaded = records[key] else { continue }
            if loaded.state.merge(change) {
                records[key] = loaded
                dirty.insert(key)
                logged.append(change)
            }
        }
        try await keep(split.kept, logged: &logged, clock: &clock, now: now, on: connection)
        try await log(logged, on: connection)
        let keys = dirty.sorted { ($0.table, $0.record) < ($1.table, $1.record) }
        try await save(keys, of: records, sum: &sum, on: connection)
        let applied = logged.count
        let vector = try await raiseVector(batch.covered, from: held, on: connection)
        try await connection.query(
            """
            UPDATE hub_self SET hlc = greatest(hlc, \(clock.last.rawValue)), digest_sum = \(ByteBuffer(bytes: sum.current.bytes))
            WHERE singleton = 1
            """,
            logger: logger
        )
        try await addDigestIncrements(sum.pastIncrements, on: connection)
        return ApplyResult(applied: applied, ignored: batch.changes.count - applied, vector: vector)
    }

    /// Moves the vector over each covered range that starts at or below its entry.
    private func raiseVector(
        _ covered: [CoveredRange],
        from held: VersionVector,
        on connection: PostgresConnection
    ) async throws
        -> VersionVector
    {
        var vector = held
        for range in covered where vector[range.origin] >= range.after && range.through > vector[range.origin] {
            try await connection.query(
                """
                INSERT INTO hub_vector(origin, seq) VALUES (\(range.origin.rawValue), \(Int64(range.through)))
                ON CONFLICT (origin) DO UPDATE SET seq = greatest(hub_vector.seq, excluded.seq)
                """,
                logger: logger
            )
            vector[range.origin] = range.through
        }
        return vector
    }

    package static func loadVector(_ connection: PostgresConnection, logger: Logger) async throws -> VersionVector {
        var vector = VersionVector()
        let rows = try await connection.query("SELECT origin, seq FROM hub_vector", logger: logger)
        for try await (origin, seq) in rows.decode((String, Int64).self) {
            vector[try ReplicaID(parsing: origin)] = UInt64(seq)
        }
        return vector
    }

    // MARK: - Records

    /// A record's table and id.
    struct RecordKey: Hashable {
        var table: String
        var record: String
    }

    /// A record as loaded: its state and its stored hash (`nil` when new).
    struct LoadedRecord {
        var state: RecordState
        var hash: [UInt8]?
    }

    /// Loads every record a batch touches in one query; unknown records come back empty.
    private func loadRecords(
        _ changes: [Change],
        on connection: PostgresConnection
    ) async throws
        -> [RecordKey: LoadedRecord]
    {
        var records: [RecordKey: LoadedRecord] = [:]
        for change in changes {
            guard let table = schema.table(named: change.table) else { continue }
            records[RecordKey(table: change.table, record: change.record)] = LoadedRecord(
                state: RecordState(table: table),
                hash: nil
            )
        }
        guard !records.isEmpty else { return records }
        let ids = Array(Set(records.keys.map(\.record)))
        let rows = try await connection.query(
            "SELECT tbl, row_id, vals, meta, others, hash FROM hub_record WHERE row_id = ANY(\(ids)) FOR UPDATE",
            logger: logger
        )
        for try await (tbl, id, vals, meta, others, hash) in rows.decode(
            (String, String, ByteBuffer, ByteBuffer, ByteBuffer, ByteBuffer).self
        ) {
            let key = RecordKey(table: tbl, record: id)
            guard records[key] != nil, let table = schema.table(named: tbl) else { continue }
            records[key] = LoadedRecord(
                state: try RecordState(
                    table: table,
                    values: Array(vals.readableBytesView),
                    meta: Array(meta.readableBytesView),
                    others: Array(others.readableBytesView)
                ),
                hash: Array(hash.readableBytesView)
            )
        }
        return records
    }

    /// Logs the changes that took effect, in one statement.
    private func log(_ changes: [Change], on connection: PostgresConnection) async throws {
        guard !changes.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO hub_log(origin, seq, tbl, row_id, schema, hlc)
            SELECT * FROM unnest(\(changes.map(\.origin.rawValue))::text[], \(changes.map { Int64($0.seq) })::bigint[],
                                 \(changes.map(\.table))::text[], \(changes.map(\.record))::text[],
                                 \(changes.map(\.schemaVersion))::bigint[]::integer[],
                                 \(changes.map(\.timestamp.rawValue))::bigint[])
            ON CONFLICT (origin, seq) DO NOTHING
            """,
            logger: logger
        )
    }

    /// Writes the merged records in one statement and moves their hashes in the running sum.
    private func save(
        _ keys: [RecordKey],
        of records: [RecordKey: LoadedRecord],
        sum: inout DigestState,
        on connection: PostgresConnection
    ) async throws {
        guard !keys.isEmpty else { return }
        var (values, metas, others, hashes) = ([ByteBuffer](), [ByteBuffer](), [ByteBuffer](), [ByteBuffer]())
        for key in keys {
            let state = records[key]!.state
            let hash = state.hashes(record: key.record)
            sum.move(from: records[key]!.hash.flatMap(RecordHashes.init(encoded:)), to: hash, table: state.table)
            values.append(ByteBuffer(bytes: state.encodedValues))
            metas.append(ByteBuffer(bytes: state.encodedMeta))
            others.append(ByteBuffer(bytes: state.encodedOthers))
            hashes.append(ByteBuffer(bytes: hash.encoded))
        }
        try await connection.query(
            """
            INSERT INTO hub_record(tbl, row_id, vals, meta, others, hash)
            SELECT * FROM unnest(\(keys.map(\.table))::text[], \(keys.map(\.record))::text[], \(values)::bytea[],
                                 \(metas)::bytea[], \(others)::bytea[], \(hashes)::bytea[])
            ON CONFLICT (tbl, row_id) DO UPDATE SET vals = excluded.vals, meta = excluded.meta,
                others = excluded.others, hash = excluded.hash
            """,
            logger: logger
        )
    }
}
