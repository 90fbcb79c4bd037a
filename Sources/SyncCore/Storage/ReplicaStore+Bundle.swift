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
