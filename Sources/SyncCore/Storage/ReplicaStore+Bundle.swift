import Foundation
import GRDB

extension ReplicaStore {
    /// The key that authenticates bundles exchanged with a replica this one enrolled: the stored
    /// hash of its credential, or `nil` for an unknown or revoked enrollment.
    ///
    /// ```swift
    /// let bundle = try SyncBundle.open(frame, schemaVersion: 1) { try office.bundleKey(enrollment: $0) }
    /// ```
    ///
    /// - Parameter id: The enrollment's id.
    /// - Returns: The key's bytes (see ``SyncBundle/key(forToken:)``).
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func bundleKey(enrollment id: String) throws -> [UInt8]? {
        try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT token_hash FROM sync_enrollment WHERE id = ? AND revoked_at IS NULL",
                arguments: [id]
            ).map { Array($0.utf8) }
        }
    }
}

extension ReplicaStore {
    /// Records what the sender of an imported bundle had when it cut it, under the sender's
    /// replica id, so that `bundle export --for <that id>` sends it only what it lacks.
    ///
    /// The vector only ever grows (entry-wise maximum with what was recorded before), and no
    /// digest comparison is recorded: a bundle carries none. The sender's identity is reserved
    /// from then on, as a hub's is (``OriginAdmission``).
    ///
    /// ```swift
    /// try laptop.recordBundle(from: bundle.header.sender, vector: bundle.header.senderVector)
    /// ```
    ///
    /// - Parameters:
    ///   - sender: The bundle's sender.
    ///   - vector: The sender's vector when it cut the bundle.
    /// - Throws: ``SyncError`` when the database cannot be written.
    public func recordBundle(from sender: ReplicaID, vector: VersionVector) throws {
        let known = try peerStatus(sender.rawValue)?.vector ?? VersionVector()
        let encoded = String(decoding: try JSONEncoder().encode(known.merged(with: vector)), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO crdt_peer(peer, vector, last_sync_at, last_digest_match, replica) VALUES (?, ?, ?, NULL, ?)
                    ON CONFLICT(peer) DO UPDATE SET vector = excluded.vector, last_sync_at = excluded.last_sync_at,
                        replica = excluded.replica
                    """,
                arguments: [sender.rawValue, encoded, wallClock(), sender.rawValue]
            )
        }
    }
}
