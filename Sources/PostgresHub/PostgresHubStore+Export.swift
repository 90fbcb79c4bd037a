import PostgresNIO
import SyncCore

extension PostgresHubStore {
    /// Bytes gathered before each call of an export's sink.
    package static let exportChunkBytes = 64 * 1_024

    /// Writes the canonical JSON export of the merged state, the same bytes as
    /// ``ReplicaStore/exportCanonicalJSON(_:)`` writes for the same merged state, read in one
    /// repeatable-read snapshot.
    ///
    /// Tables come sorted by name and records by id, byte by byte (`COLLATE "C"`, as SQLite
    /// compares them); each record's line is written by the same code as the digest hashes, so
    /// `scripts/digest-from-export.py` recomputes this hub's digest from it.
    ///
    /// - Parameter sink: Receives the export's bytes in order, in chunks of about
    ///   ``exportChunkBytes``.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage``.
    package func exportCanonicalJSON(_ sink: @escaping @Sendable ([UInt8]) -> Void) async throws {
        try await wrapping("export the merged state") {
            try await client.withConnection { connection in
                try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                do {
                    try await export(on: connection, sink)
                    try await connection.query("COMMIT", logger: logger)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    private func export(on connection: PostgresConnection, _ sink: ([UInt8]) -> Void) async throws {
        var out = Array("{\"schema\":\(schema.version),\"tables\":{".utf8)
        let tables = schema.tables.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for (index, table) in tables.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            // Table names are plain identifiers (the schema checks them): quoting needs no escape.
            out.append(contentsOf: "\"\(table.name)\":[".utf8)
            let rows = try await connection.query(
                "SELECT row_id, vals, meta, others FROM hub_record WHERE tbl = \(table.name) ORDER BY row_id COLLATE \"C\"",
                logger: logger
            )
            var first = true
            for try await (id, vals, meta, others) in rows.decode((String, ByteBuffer, ByteBuffer, ByteBuffer).self) {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                let state = try RecordState(
                    table: table,
                    values: Array(vals.readableBytesView),
                    meta: Array(meta.readableBytesView),
                    others: Array(others.readableBytesView)
                )
                out.append(contentsOf: state.canonicalLine(record: id))
                if out.count >= Self.exportChunkBytes {
                    sink(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: "}}".utf8)
        sink(out)
    }

    /// Issues a new credential for an active enrollment; the old one is refused from then on
    /// (see ``ReplicaStore/rotate(enrollment:)``, whose rules it keeps).
    ///
    /// - Parameter id: The enrollment's id.
    /// - Returns: The new token (shown once, only its hash stored).
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` when no active enrollment
    ///   has that id.
    package func rotate(enrollment id: String) async throws -> String {
        let token = Credential.make(enrollment: id)
        let changed = try await wrapping("rotate a credential") {
            let rows = try await client.query(
                """
                UPDATE hub_enrollment SET token_hash = \(Credential.hash(token))
                WHERE id = \(id) AND revoked_at IS NULL RETURNING id
                """,
                logger: logger
            )
            var count = 0
            for try await _ in rows.decode(String.self) { count += 1 }
            return count
        }
        guard changed == 1 else {
            throw SyncError(
                .recordNotFound,
                "no active enrollment with id \(id.prefix(40)); see 'hub-server replicas', or enroll the replica again"
            )
        }
        return token
    }
}
