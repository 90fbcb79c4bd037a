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
