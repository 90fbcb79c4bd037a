import Foundation
import GRDB

extension ReplicaStore {
    /// Issues a new credential for an active enrollment; the old one is refused from then on.
    ///
    /// Rotate a credential that may have been seen by someone else (a laptop lent out, a token
    /// pasted in a message) without losing the enrollment: its commune, its bound replica
    /// identities and its exchange history stay. Only the new token's SHA-256 hash is stored,
    /// in place of the old one, in one transaction, so exactly one token is valid at any time.
    /// A revoked enrollment cannot be rotated: enroll the replica again.
    ///
    /// ```swift
    /// let token = try hub.rotate(enrollment: "01a224ea-ffb6-78a7-bc88-010e53f9b3db")
    /// // give `token` to the replica: replica-node init … --token-file <file holding it>
    /// ```
    ///
    /// - Parameter id: The enrollment's id.
    /// - Returns: The new token (shown once, never stored).
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` when no active enrollment
    ///   has that id.
    public func rotate(enrollment id: String) throws -> String {
        let token = Credential.make(enrollment: id)
        let changed = try write { db in
            try db.execute(
                sql: "UPDATE sync_enrollment SET token_hash = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [Credential.hash(token), id]
            )
            return db.changesCount
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
