import Foundation
import PostgresNIO
package import SyncCore

extension PostgresHubStore {
    /// Every enrollment, oldest first, with the origins bound to it.
    ///
    /// - Returns: The enrollments.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage``.
    package func enrollments() async throws -> [Enrollment] {
        try await wrapping("read the enrollments") {
            var origins: [String: [ReplicaID]] = [:]
            let bound = try await client.query(
                "SELECT origin, enrollment_id FROM hub_origin ORDER BY origin",
                logger: logger
            )
            for try await (origin, id) in bound.decode((String, String).self) {
                origins[id, default: []].append(try ReplicaID(parsing: origin))
            }
            let rows = try await client.query(
                """
                SELECT id, kind, commune, label, created_at, revoked_at, last_sync_at, last_vector, last_digest_match,
                       clock_offset_ms, refusal_count, last_refusal_at, last_refusal
                FROM hub_enrollment ORDER BY created_at, id
                """,
                logger: logger
            )
            var enrollments: [Enrollment] = []
            typealias Columns = (
                String, String, String, String, Int64, Int64?, Int64?, String?, Bool?, Int64?, Int32, Int64?, String?
            )
            for try await (
                id, kind, commune, label, created, revoked, synced, vector, matched, offset, refusals, at, why
            )
                in rows.decode(Columns.self)
            {
                enrollments.append(
                    Enrollment(
                        id: id,
                        kind: Enrollment.Kind(rawValue: kind) ?? .replica,
                        commune: commune,
                        label: label,
                        createdAt: created,
                        revokedAt: revoked,
                        lastSyncAt: synced,
                        lastVector: try vector.map {
                            try JSONDecoder().decode(VersionVector.self, from: Data($0.utf8))
                        },
                        lastDigestMatched: matched,
                        clockOffsetMillis: offset,
                        origins: origins[id] ?? [],
                        refusalCount: Int(refusals),
                        lastRefusalAt: at,
                        lastRefusal: why
                    )
                )
            }
            return enrollments
        }
    }

    /// How many logged changes the hub holds that a vector lacks (superseded writes included).
    ///
    /// - Parameter since: A replica's vector.
    /// - Returns: The count.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage``.
    package func pendingChangeCount(since: VersionVector) async throws -> Int {
        let mine = try await vector()
        return try await wrapping("count pending changes") {
            var total = 0
            for (origin, through) in mine.sortedEntries where through > since[origin] {
                let rows = try await client.query(
                    """
                    SELECT count(*) FROM hub_log
                    WHERE origin = \(origin.rawValue) AND seq > \(Int64(since[origin])) AND seq <= \(Int64(through))
                    """,
                    logger: logger
                )
                for try await count in rows.decode(Int64.self) { total += Int(count) }
            }
            return total
        }
    }
}
