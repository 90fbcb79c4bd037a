extension SyncBundle {
    /// What importing a bundle did.
    public struct ImportResult: Hashable, Sendable {
        /// Changes that altered this replica's state.
        public var applied: Int
        /// Changes already known or superseded here.
        public var ignored: Int
        /// Batches applied, each in its own transaction.
        public var batches: Int
        /// This replica's vector afterwards.
        public var vector: VersionVector
    }

    /// Cuts a bundle of what a replica with `vector` lacks, in bounded batches, the way a pull
    /// would send them.
    ///
    /// ```swift
    /// let bundle = try await SyncBundle.cut(from: laptop, for: officeVector, keyID: enrollmentID, createdAt: now)
    /// ```
    ///
    /// - Parameters:
    ///   - store: The exporting store.
    ///   - vector: What the importer is known to have.
    ///   - keyID: The enrollment whose credential keys the tag.
    ///   - createdAt: The time, Unix milliseconds.
    ///   - batchLimit: Records per batch.
    /// - Returns: The bundle; it holds no batch when the importer lacks nothing.
    /// - Throws: ``SyncError`` from the store.
    public static func cut(
        from store: any SyncStore,
        for vector: VersionVector,
        keyID: String,
        createdAt: Int64,
        batchLimit: Int = ReplicaStore.defaultBatchLimit
    ) async throws -> SyncBundle {
        let senderVector = try await store.vector()
        var since = vector
        var batches: [ChangeBatch] = []
        while true {
            let batch = try await store.changes(since: since, limit: batchLimit)
            if batch.changes.isEmpty && batch.covered.isEmpty { break }
            batches.append(batch)
            let advanced = since.advanced(by: batch)
            if batch.isComplete || advanced == since { break }
            since = advanced
        }
        let header = Header(
            sender: store.replicaID,
            keyID: keyID,
            forVector: vector,
            senderVector: senderVector,
            batches: batches,
            schemaVersion: store.schema.version,
            createdAt: createdAt
        )
        return SyncBundle(header: header, batches: batches)
    }

    /// Applies the bundle's batches in order, each in one transaction through the store's
    /// ``SyncStore/apply(_:)``: importing it twice changes nothing the second time, and a failure
    /// leaves every batch before it applied with the vector never ahead of the data.
    ///
    /// ```swift
    /// let result = try await bundle.apply(to: office) { batch in try office.authorize(batch, from: laptop) }
    /// ```
    ///
    /// - Parameters:
    ///   - store: The importing store.
    ///   - authorize: Checks each batch before it is applied (origins of the sender's commune).
    /// - Returns: What took effect.
    /// - Throws: ``SyncError`` from `authorize` or the store.
    public func apply(
        to store: any SyncStore,
        authorize: (ChangeBatch) async throws -> Void
    ) async throws -> ImportResult {
        for batch in batches { try await authorize(batch) }
        var result = ImportResult(applied: 0, ignored: 0, batches: 0, vector: try await store.vector())
        for batch in batches {
            let applied = try await store.apply(batch)
            result.applied += applied.applied
            result.ignored += applied.ignored
            result.batches += 1
            result.vector = applied.vector
        }
        return result
    }
}
