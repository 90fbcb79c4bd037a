import Foundation
import PostgresNIO
package import SyncCore

// MARK: - SyncClientStore

/// The hub on PostgreSQL as the client of an exchange: the upstream link of a provincial hub to
/// its national hub (``SyncClient``), with the same hello, push, pull and closing hello as a
/// SQLite hub's.
///
/// The hub writes nothing under its own identity in PostgreSQL (coordinators' writes are made on
/// a SQLite hub), so it has no writes to re-stamp and no identity a peer could hold more writes
/// of; each of those cases is refused with an explanation rather than assumed away.
extension PostgresHubStore: SyncClientStore {
    /// The hub's database is never re-identified: it has no earlier identities.
    package func previousIdentities() async throws -> [ReplicaID] { [] }

    /// Refuses: a peer holds writes of this hub's identity, which this database never made, so
    /// another hub runs with a copy of this database's identity.
    package func reidentify(because reason: String) async throws -> ReplicaID {
        throw SyncError(
            .conflict,
            "the hub's identity \(replicaID) is also used by another hub (\(reason)); run one hub-server per "
                + "database, and give each restored copy a database of its own, then sync again"
        )
    }

    /// Re-stamps nothing, since the hub made no writes of its own.
    ///
    /// It refuses if it finds some, which this release does not make.
    package func restampFutureWrites(acknowledged: UInt64, peerTime: Int64) async throws -> Int {
        let own = try await vector()[replicaID]
        guard own == 0 else {
            throw SyncError(
                .storage,
                "the hub's PostgreSQL database holds \(own) writes of the hub's own identity, which this release "
                    + "never makes; it was written by a newer hub-server: run that release"
            )
        }
        return 0
    }

    package func changes(since: VersionVector, limit: Int, excluding: Set<ReplicaID>) async throws -> ChangeBatch {
        try await changes(since: since, limit: limit, filter: excluding.isEmpty ? .all : .excluding(excluding))
    }

    /// Applies the batch; the store checks it again inside its transaction, as every batch.
    package func apply(_ checked: ValidatedBatch) async throws -> ApplyResult {
        try await apply(checked.batch)
    }

    package func recordSync(peer: String, vector: VersionVector, digestMatched: Bool?, replica: ReplicaID?) async throws
    {
        let encoded = String(decoding: try JSONEncoder().encode(vector), as: UTF8.self)
        let now = wallClock()
        try await wrapping("record the exchange with \(peer)") {
            try await client.query(
                """
                INSERT INTO hub_peer(peer, vector, last_sync_at, last_digest_match, replica)
                VALUES (\(peer), \(encoded), \(now), \(digestMatched), \(replica?.rawValue))
                ON CONFLICT (peer) DO UPDATE SET vector = EXCLUDED.vector, last_sync_at = EXCLUDED.last_sync_at,
                    last_digest_match = EXCLUDED.last_digest_match,
                    replica = coalesce(EXCLUDED.replica, hub_peer.replica)
                """,
                logger: logger
            )
        }
    }
}
