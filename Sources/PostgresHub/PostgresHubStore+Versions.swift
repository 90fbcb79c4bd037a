import Foundation
package import Logging
package import PostgresNIO
package import SyncCore

// MARK: - Schema versions on PostgreSQL

extension PostgresHubStore {
    /// The tables of schema versions: the hub's schema version (`hub_schema`), the fields of
    /// newer versions it keeps until it knows them (`hub_kept`), the digests of earlier versions
    /// (`hub_digest`), and the versions each enrolled replica last said it runs.
    ///
    /// Records are stored encoded (``RecordState``), so a column added by a migration step needs
    /// no change of `hub_record`: a record stored before it reads with the column's default.
    package static let versionsSQL = [
        "CREATE TABLE IF NOT EXISTS hub_schema (singleton integer PRIMARY KEY CHECK (singleton = 1), version integer NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS hub_kept (
            origin text NOT NULL, seq bigint NOT NULL, col text NOT NULL, tbl text NOT NULL, row_id text NOT NULL,
            schema integer NOT NULL, hlc bigint NOT NULL, ctx bytea, value text,
            PRIMARY KEY (origin, seq, col))
        """,
        "CREATE TABLE IF NOT EXISTS hub_digest (version integer PRIMARY KEY, delta bytea NOT NULL)",
        "ALTER TABLE hub_enrollment ADD COLUMN IF NOT EXISTS schema_version integer",
        "ALTER TABLE hub_enrollment ADD COLUMN IF NOT EXISTS program_version text",
    ]

    /// Records this build's schema version, refusing a database of a newer one.
    ///
    /// Runs in the opening transaction, under its lock. The kept fields the new version knows
    /// are merged right after (``mergeKnownKept()``).
    package static func migrateSchema(_ connection: PostgresConnection, schema: Schema, logger: Logger) async throws {
        var stored: Int?
        for try await version in try await connection.query(
            "SELECT version FROM hub_schema WHERE singleton = 1",
            logger: logger
        ).decode(Int.self) {
            stored = version
        }
        if let stored, stored > schema.version {
            throw SyncError(
                .schemaMismatch,
                "the hub's PostgreSQL database is on schema version \(stored) and this program knows versions 1 "
                    + "to \(schema.version); it was left as it is. Run a release that knows schema version \(stored)"
            )
        }
        // A database made before schema versions were recorded is on version 1.
        let current = stored ?? 1
        guard stored == nil || current < schema.version else { return }
        try await connection.query(
            """
            INSERT INTO hub_schema(singleton, version) VALUES (1, \(schema.version))
            ON CONFLICT (singleton) DO UPDATE SET version = excluded.version
            """,
            logger: logger
        )
    }

    /// The digest of an earlier schema version: the latest sum and that version's difference.
    package func digest(schemaVersion: Int) async throws -> String {
        guard (1...schema.version).contains(schemaVersion) else {
            throw SyncError(.schemaMismatch, "this hub cannot compute a digest of schema version \(schemaVersion)")
        }
        return try await wrapping("read the digest") {
            let rows = try await client.query(
                """
                SELECT s.digest_sum, d.delta FROM hub_self s LEFT JOIN hub_digest d ON d.version = \(schemaVersion)
                WHERE s.singleton = 1
                """,
                logger: logger
            )
            var sum = DigestSum.zero
            for try await (stored, delta) in rows.decode((ByteBuffer, ByteBuffer?).self) {
                sum = DigestSum(stored: Array(stored.readableBytesView))
                if schemaVersion < schema.version, let delta {
                    sum.add(DigestSum(stored: Array(delta.readableBytesView)).bytes)
                }
            }
            return sum.digest(schemaVersion: schemaVersion)
        }
    }

    /// Adds a batch's increments to the stored differences of earlier versions.
    package func addDigestIncrements(_ increments: [Int: DigestSum], on connection: PostgresConnection) async throws {
        for (version, increment) in increments where increment != .zero {
            var delta = DigestSum.zero
            for try await stored in try await connection.query(
                "SELECT delta FROM hub_digest WHERE version = \(version)",
                logger: logger
            ).decode(ByteBuffer.self) {
                delta = DigestSum(stored: Array(stored.readableBytesView))
            }
            delta.add(increment.bytes)
            try await connection.query(
                """
                INSERT INTO hub_digest(version, delta) VALUES (\(version), \(ByteBuffer(bytes: delta.bytes)))
                ON CONFLICT (version) DO UPDATE SET delta = excluded.delta
                """,
                logger: logger
            )
        }
    }

    /// Keeps the fields of newer versions this hub does not know; the changes newly kept and
    /// not logged yet join `logged`.
    package func keep(
        _ changes: [Change],
        logged: inout [Change],
        clock: inout HybridLogicalClock,
        now: Int64,
        on connection: PostgresConnection
    ) async throws {
        guard !changes.isEmpty else { return }
        var loggedDots = Set(logged.map(\.dot))
        for change in changes {
            try clock.receive(change.timestamp, now: now, origin: change.origin)
            var isNew = false
            for (name, field) in change.fields {
                let context = field.context.map { ByteBuffer(bytes: KeptValue.encode($0)) }
                let rows = try await connection.query(
                    """
                    INSERT INTO hub_kept(origin, seq, col, tbl, row_id, schema, hlc, ctx, value)
                    VALUES (\(change.origin.rawValue), \(Int64(change.seq)), \(name), \(change.table), \(change.record),
                            \(change.schemaVersion), \(change.timestamp.rawValue), \(context), \(KeptValue.text(field.value)))
                    ON CONFLICT DO NOTHING RETURNING 1
                    """,
                    logger: logger
                )
                for try await _ in rows.decode(Int.self) { isNew = true }
            }
            if isNew, loggedDots.insert(change.dot).inserted { logged.append(change) }
        }
    }

    /// The kept fields of one change, or `nil` when none.
    package func keptFields(
        of dot: Dot,
        on connection: PostgresConnection
    ) async throws -> (table: String, fields: [String: FieldChange], timestamp: HybridTimestamp)? {
        let rows = try await connection.query(
            "SELECT col, tbl, hlc, ctx, value FROM hub_kept WHERE origin = \(dot.origin.rawValue) AND seq = \(Int64(dot.seq))",
            logger: logger
        )
        var fields: [String: FieldChange] = [:]
        var table = ""
        var timestamp = HybridTimestamp.zero
        for try await (col, tbl, hlc, ctx, value) in rows.decode((String, String, Int64, ByteBuffer?, String?).self) {
            let context = try ctx.map { try KeptValue.decode(Array($0.readableBytesView)) }
            fields[col] = FieldChange(value: try KeptValue.value(value), context: context)
            table = tbl
            timestamp = HybridTimestamp(rawValue: hlc)
        }
        return fields.isEmpty ? nil : (table, fields, timestamp)
    }

    /// Merges the kept fields this hub's schema knows into their records, as an apply would.
    ///
    /// It forgets them in the same transaction. Opening runs it: after an upgrade it merges what
    /// was kept, and it is idempotent, so a process stopped between the upgrade and the merge
    /// merges at its next start.
    package func mergeKnownKept() async throws {
        let now = wallClock()
        try await wrapping("merge the fields kept for this schema version") {
            try await client.withTransaction(logger: logger) { connection in
                let changes = try await knownKept(on: connection)
                guard !changes.isEmpty else { return }
                let batch = ChangeBatch(schemaVersion: schema.version, changes: changes, covered: [], isComplete: true)
                _ = try await apply(batch, now: now, on: connection)
                try await connection.query(
                    """
                    DELETE FROM hub_kept k WHERE EXISTS (
                        SELECT 1 FROM unnest(\(changes.map(\.origin.rawValue))::text[], \(changes.map { Int64($0.seq) })::bigint[])
                            AS d(origin, seq) WHERE d.origin = k.origin AND d.seq = k.seq)
                      AND k.col = ANY(\(knownColumns))
                    """,
                    logger: logger
                )
            }
        }
    }

    /// Every column name this schema knows, of any table.
    private var knownColumns: [String] { Array(Set(schema.tables.flatMap { $0.columns.map(\.name) })) }

    /// The kept fields this schema knows, as changes; values that break their column are left out
    /// (they are dropped as in SQLite, see `KeptFields`).
    private func knownKept(on connection: PostgresConnection) async throws -> [Change] {
        let rows = try await connection.query(
            "SELECT origin, seq, col, tbl, row_id, schema, hlc, ctx, value FROM hub_kept ORDER BY origin, seq FOR UPDATE",
            logger: logger
        )
        var changes: [Change] = []
        for try await (origin, seq, col, tbl, id, version, hlc, ctx, value) in rows.decode(
            (String, Int64, String, String, String, Int, Int64, ByteBuffer?, String?).self
        ) {
            guard let column = schema.table(named: tbl)?.column(named: col) else { continue }
            let dot = Dot(origin: try ReplicaID(parsing: origin), seq: UInt64(seq))
            let field = FieldChange(
                value: try KeptValue.value(value),
                context: try ctx.map { try KeptValue.decode(Array($0.readableBytesView)) }
            )
            let fits =
                version <= schema.version
                ? (try? column.validate(field.value, in: tbl)) != nil
                : (try? column.validateShape(field.value, in: tbl)) != nil
            guard fits, !column.rule.isCausal || field.context?.contains(dot) == true else { continue }
            if let last = changes.last, last.dot == dot {
                changes[changes.count - 1].fields[col] = field
            } else {
                changes.append(
                    Change(
                        table: tbl,
                        record: id,
                        origin: dot.origin,
                        seq: dot.seq,
                        timestamp: HybridTimestamp(rawValue: hlc),
                        schemaVersion: version,
                        fields: [col: field]
                    )
                )
            }
        }
        return changes
    }
}

/// How kept values and contexts are stored in PostgreSQL: values as JSON text, contexts as
/// SyncCore's vector blob.
package enum KeptValue {
    package static func text(_ value: FieldValue) -> String? {
        (try? JSONEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    package static func value(_ text: String?) throws -> FieldValue {
        guard let text else { return .null }
        return try JSONDecoder().decode(FieldValue.self, from: Data(text.utf8))
    }

    package static func encode(_ vector: VersionVector) -> [UInt8] {
        Array((try? JSONEncoder().encode(vector)) ?? Data("{}".utf8))
    }

    package static func decode(_ bytes: [UInt8]) throws -> VersionVector {
        try JSONDecoder().decode(VersionVector.self, from: Data(bytes))
    }
}

// MARK: - Replicas' versions

extension PostgresHubStore {
    /// Records the versions a replica said it runs at a hello.
    package func recordVersions(enrollment: String, versions: ReplicaVersions) async throws {
        try await wrapping("record a replica's versions") {
            try await client.query(
                """
                UPDATE hub_enrollment SET schema_version = \(versions.schemaVersion), program_version = \(versions.programVersion)
                WHERE id = \(enrollment)
                """,
                logger: logger
            )
        }
    }

    /// The versions each enrolled replica last said it runs, by enrollment id.
    package func replicaVersions() async throws -> [String: ReplicaVersions] {
        try await wrapping("read the replicas' versions") {
            let rows = try await client.query(
                "SELECT id, schema_version, program_version FROM hub_enrollment WHERE schema_version IS NOT NULL",
                logger: logger
            )
            var versions: [String: ReplicaVersions] = [:]
            for try await (id, schema, program) in rows.decode((String, Int, String?).self) {
                versions[id] = ReplicaVersions(schemaVersion: schema, programVersion: program)
            }
            return versions
        }
    }
}
