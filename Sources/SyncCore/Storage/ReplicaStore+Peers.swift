import Foundation
import GRDB

/// What this replica knows of one peer, from its last exchange.
public struct PeerStatus: Hashable, Sendable, Codable {
    /// The peer's name (such as the hub URL).
    public var peer: String
    /// The peer's vector at the end of the last successful exchange.
    public var vector: VersionVector
    /// When that exchange ended, Unix milliseconds.
    public var lastSyncAt: Int64?
    /// Whether both digests matched at its end.
    public var digestMatched: Bool?
}

extension ReplicaStore {
    /// Identities this database had before it was re-identified as a copy.
    ///
    /// - Returns: The retired identities.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func previousIdentities() throws -> [ReplicaID] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT replica FROM crdt_identity_history ORDER BY retired_at")
                .map { ReplicaID(validated: $0) }
        }
    }

    /// Records the end of a successful exchange with a peer.
    ///
    /// - Parameters:
    ///   - peer: The peer's name.
    ///   - vector: The peer's vector at the end.
    ///   - digestMatched: Whether the digests matched; `nil` when they were not comparable (a
    ///     filtered exchange).
    ///   - replica: The peer's identity, when known: a server this replica syncs with as a client
    ///     (its hub, its office). Its identity is then reserved: no peer of this replica's own may
    ///     claim it (see ``OriginAdmission``).
    /// - Throws: ``SyncError`` when the database cannot be written.
    public func recordSync(peer: String, vector: VersionVector, digestMatched: Bool?, replica: ReplicaID? = nil) throws
    {
        let encoded = String(decoding: try JSONEncoder().encode(vector), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO crdt_peer(peer, vector, last_sync_at, last_digest_match, replica) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(peer) DO UPDATE SET vector = excluded.vector, last_sync_at = excluded.last_sync_at,
                        last_digest_match = excluded.last_digest_match,
                        replica = coalesce(excluded.replica, crdt_peer.replica)
                    """,
                arguments: [peer, encoded, wallClock(), digestMatched, replica?.rawValue]
            )
        }
    }

    /// What this replica knows of a peer, or `nil` before the first exchange.
    ///
    /// - Parameter peer: The peer's name.
    /// - Returns: The status.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func peerStatus(_ peer: String) throws -> PeerStatus? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM crdt_peer WHERE peer = ?", arguments: [peer])
            else {
                return nil
            }
            let vector = try JSONDecoder().decode(VersionVector.self, from: Data((row["vector"] as String).utf8))
            return PeerStatus(
                peer: peer,
                vector: vector,
                lastSyncAt: row["last_sync_at"],
                digestMatched: (row["last_digest_match"] as Int64?).map { $0 == 1 }
            )
        }
    }

    /// How many logged writes a peer with vector `since` lacks (an upper bound: superseded
    /// writes are counted until the next exchange skips them).
    ///
    /// - Parameter since: What the peer has.
    /// - Returns: The count.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func pendingChangeCount(since: VersionVector) throws -> Int {
        try read { db in
            var total = 0
            for (origin, through) in try VectorTable.load(db).sortedEntries where through > since[origin] {
                total +=
                    try Int.fetchOne(
                        db,
                        sql: "SELECT count(*) FROM crdt_log WHERE origin = ? AND seq > ? AND seq <= ?",
                        arguments: [origin.rawValue, Int64(since[origin]), Int64(through)]
                    ) ?? 0
            }
            return total
        }
    }
}

extension ReplicaStore {
    /// A local setting (not replicated), such as the hub URL written by `replica-node init`.
    ///
    /// - Parameter key: The setting's name.
    /// - Returns: Its value, or `nil`.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func setting(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM crdt_setting WHERE key = ?", arguments: [key])
        }
    }

    /// Stores local settings (not replicated), all in one transaction.
    ///
    /// - Parameter values: Setting name → value; `nil` removes the setting.
    /// - Throws: ``SyncError`` when the database cannot be written.
    public func setSettings(_ values: [String: String?]) throws {
        try write { db in
            for (key, value) in values {
                if let value {
                    try db.execute(
                        sql:
                            "INSERT INTO crdt_setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        arguments: [key, value]
                    )
                } else {
                    try db.execute(sql: "DELETE FROM crdt_setting WHERE key = ?", arguments: [key])
                }
            }
        }
    }
}
