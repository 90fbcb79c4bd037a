/// What a replica's storage must do to take part in an exchange.
///
/// ``ReplicaStore`` (SQLite) implements it; the hub's PostgreSQL backend implements the same
/// protocol, so the sync logic (``SyncServer``) never depends on the backend. The requirements
/// are `async` because the PostgreSQL backend talks to its server asynchronously; the SQLite
/// store's synchronous methods satisfy them.
///
/// ```swift
/// func serve(_ store: some SyncStore) { … }
/// ```
public protocol SyncStore: Sendable {
    /// This replica's identity.
    var replicaID: ReplicaID { get }
    /// Earlier identities of this database, if it was re-identified.
    var previousReplicaID: ReplicaID? { get }
    /// The replicated schema.
    var schema: Schema { get }

    /// What this replica has.
    ///
    /// - Returns: The version vector.
    /// - Throws: ``SyncError``.
    func vector() async throws -> VersionVector

    /// The changes a peer with vector `since` lacks, at most `limit` records.
    ///
    /// - Parameters:
    ///   - since: What the peer has.
    ///   - limit: The most records.
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError``.
    func changes(since: VersionVector, limit: Int) async throws -> ChangeBatch

    /// The changes a peer with vector `since` lacks, of the origins a filter admits, at most
    /// `limit` records; refused origins get neither changes nor covered ranges.
    ///
    /// - Parameters:
    ///   - since: What the peer has.
    ///   - limit: The most records.
    ///   - filter: The origins that may be sent.
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError``.
    func changes(since: VersionVector, limit: Int, filter: OriginFilter) async throws -> ChangeBatch

    /// Applies a batch and advances the vector in one transaction.
    ///
    /// - Parameter batch: The changes.
    /// - Returns: What took effect.
    /// - Throws: ``SyncError``; nothing is applied then.
    func apply(_ batch: ChangeBatch) async throws -> ApplyResult

    /// The digest of the merged state.
    ///
    /// - Returns: 64 hex characters.
    /// - Throws: ``SyncError``.
    func digest() async throws -> String

    /// The digest of the merged state as a replica on an earlier schema version holds it (see
    /// ``ReplicaStore/digest(schemaVersion:)``).
    ///
    /// - Parameter schemaVersion: From 1 to this store's version.
    /// - Returns: 64 hex characters.
    /// - Throws: ``SyncError``.
    func digest(schemaVersion: Int) async throws -> String
}

extension ReplicaStore: SyncStore {}

/// What a store must do to sync with a peer as the client (``SyncClient``): a replica with its
/// hub or office, or a provincial hub with its national hub (the upstream link).
///
/// ``ReplicaStore`` implements it with its synchronous methods, and so does the hub's
/// PostgreSQL backend, so a hub on either backend can sync upstream.
///
/// ```swift
/// let report = try await SyncClient(store: hub, transport: transport).synchronize()
/// ```
public protocol SyncClientStore: SyncStore {
    /// The drift bound applied to remote timestamps, in milliseconds.
    var maxDriftMillis: Int64 { get }
    /// The physical clock, Unix milliseconds.
    var wallClock: @Sendable () -> Int64 { get }

    /// The identities this store had before it was re-identified, oldest first.
    ///
    /// - Returns: The identities.
    /// - Throws: ``SyncError``.
    func previousIdentities() async throws -> [ReplicaID]

    /// Takes a new identity, because the peer holds more writes of this one than the store made.
    ///
    /// - Parameter reason: Why, for the record.
    /// - Returns: The new identity.
    /// - Throws: ``SyncError``.
    func reidentify(because reason: String) async throws -> ReplicaID

    /// Re-stamps this store's own writes that a clock running ahead stamped in the future, and
    /// no peer holds yet (see ``ReplicaStore/restampFutureWrites(acknowledged:peerTime:)``).
    ///
    /// - Parameters:
    ///   - acknowledged: The highest sequence number of this store's identity the peer holds.
    ///   - peerTime: The peer's wall clock, Unix milliseconds.
    /// - Returns: How many writes were re-stamped.
    /// - Throws: ``SyncError``.
    func restampFutureWrites(acknowledged: UInt64, peerTime: Int64) async throws -> Int

    /// How many changes a peer with vector `since` lacks.
    ///
    /// - Parameter since: What the peer has.
    /// - Returns: The count.
    /// - Throws: ``SyncError``.
    func pendingChangeCount(since: VersionVector) async throws -> Int

    /// The changes a peer with vector `since` lacks, leaving out some origins.
    ///
    /// - Parameters:
    ///   - since: What the peer has.
    ///   - limit: The most records.
    ///   - excluding: Origins to leave out (the ones the peer refuses from this store).
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError``.
    func changes(since: VersionVector, limit: Int, excluding: Set<ReplicaID>) async throws -> ChangeBatch

    /// Checks a batch as applying it would, so that it is applied later without being checked
    /// again.
    ///
    /// - Parameter batch: Changes from the peer.
    /// - Returns: The checked batch.
    /// - Throws: ``SyncError``; nothing is applied.
    func validated(_ batch: ChangeBatch) throws -> ValidatedBatch

    /// Applies a batch checked by ``validated(_:)``.
    ///
    /// - Parameter checked: The batch.
    /// - Returns: What took effect.
    /// - Throws: ``SyncError``; nothing is applied then.
    func apply(_ checked: ValidatedBatch) async throws -> ApplyResult

    /// Records the end of an exchange with a peer: its vector, and whether the digests matched.
    ///
    /// - Parameters:
    ///   - peer: The peer's name (its URL).
    ///   - vector: The peer's vector.
    ///   - digestMatched: Whether the digests matched; `nil` when they are not comparable.
    ///   - replica: The peer's identity.
    /// - Throws: ``SyncError``.
    func recordSync(peer: String, vector: VersionVector, digestMatched: Bool?, replica: ReplicaID?) async throws
}

extension SyncClientStore {
    /// Checks a batch against this store's schema and drift bound, at its clock's time.
    ///
    /// - Parameter batch: Changes from the peer.
    /// - Returns: The checked batch.
    /// - Throws: ``SyncError``; nothing is applied.
    public func validated(_ batch: ChangeBatch) throws -> ValidatedBatch {
        try ValidatedBatch(checking: batch, schema: schema, maxDriftMillis: maxDriftMillis, now: wallClock())
    }
}

extension ReplicaStore: SyncClientStore {}
