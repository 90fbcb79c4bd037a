import GRDB
import Synchronization

extension ReplicaStore {
    /// Gives this file a new identity, keeping its data; the old identity becomes an ordinary
    /// origin of its past writes, listed in ``previousIdentities()``.
    ///
    /// A file copied elsewhere is re-identified when it is opened (it lives on another inode). A
    /// backup copied back over the original file keeps the inode: the file then holds fewer of
    /// its own writes than its peers do. ``SyncClient`` notices at the hello (the peer's vector
    /// holds more of this identity than the file has written) and calls this, so that the file
    /// never writes a second change under a sequence number its earlier self already used.
    /// Other processes that have the file open adopt the new identity at their next write.
    ///
    /// ```swift
    /// if hello.vector[store.replicaID] > try store.vector()[store.replicaID] {
    ///     try store.reidentify(because: "the hub holds writes of this identity that this file lacks")
    /// }
    /// ```
    ///
    /// - Parameter reason: Why, recorded in the identity history.
    /// - Returns: The new identity.
    /// - Throws: ``SyncError`` when the database cannot be written.
    @discardableResult
    public func reidentify(because reason: String) throws -> ReplicaID {
        let location = try Self.fileLocation(path)
        let fresh = try write { db in
            let current = try LocalState.Stored.read(db).replica
            return (
                old: current,
                new: try Identity.reidentify(db, from: current, location: location, now: wallClock(), reason: reason)
            )
        }
        identity.withLock { $0 = Identity.Established(current: fresh.new, previous: fresh.old) }
        return fresh.new
    }

    /// Takes the identity a transaction read from the file when another process changed it.
    func adopt(_ replica: ReplicaID) {
        identity.withLock { established in
            guard established.current != replica else { return }
            established = Identity.Established(current: replica, previous: established.current)
        }
    }
}
