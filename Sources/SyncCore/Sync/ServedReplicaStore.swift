import Dispatch

/// A ``ReplicaStore`` as a server calls it from its request tasks: every call runs on a serial
/// dispatch queue of its own, and the task waits for it without holding a thread.
///
/// The store's methods are synchronous: a write waits for SQLite's lock (up to its busy timeout),
/// a read for a free connection. Called straight from a request task, that wait holds a thread
/// of the cooperative pool, which has one thread per core: two pushes waiting for the lock would
/// stop every other request, `/health` included. This is GRDB's own advice for its synchronous
/// methods, done once for every route: the servers (the hub's `/v1` routes and `/health`, an
/// office's `--sync-listen`, a hub's upstream link) reach the store through this type.
///
/// ```swift
/// let served = ServedReplicaStore(hub)
/// let server = SyncServer(store: served, registry: served)
/// ```
package struct ServedReplicaStore: SyncClientStore, EnrollmentRegistry {
    /// The store.
    package let base: ReplicaStore

    /// Wraps a store.
    ///
    /// - Parameter base: The store.
    package init(_ base: ReplicaStore) {
        self.base = base
    }

    /// Runs blocking work of a store off the cooperative pool.
    ///
    /// - Parameter work: The work.
    /// - Returns: What it returned.
    /// - Throws: What it threw.
    package static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        // A serial queue of its own for each call, as GRDB runs each connection: a serial queue
        // gets a thread of its own when it has work. A concurrent queue's work would run on the
        // global queues' threads, which on Linux are the cooperative pool's, a few per core: a
        // blocked call would hold one of them again.
        let queue = DispatchQueue(label: "essaouira.store", qos: .userInitiated)
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: work)) }
        }
    }

    // MARK: - SyncStore

    package var replicaID: ReplicaID { base.replicaID }
    package var previousReplicaID: ReplicaID? { base.previousReplicaID }
    package var schema: Schema { base.schema }

    package func vector() async throws -> VersionVector {
        try await Self.run { [base] in try base.vector() }
    }

    package func changes(since: VersionVector, limit: Int) async throws -> ChangeBatch {
        try await Self.run { [base] in try base.changes(since: since, limit: limit) }
    }

    package func changes(since: VersionVector, limit: Int, filter: OriginFilter) async throws -> ChangeBatch {
        try await Self.run { [base] in try base.changes(since: since, limit: limit, filter: filter) }
    }

    package func apply(_ batch: ChangeBatch) async throws -> ApplyResult {
        try await Self.run { [base] in try base.apply(batch) }
    }

    package func digest() async throws -> String {
        try await Self.run { [base] in try base.digest() }
    }

    package func digest(schemaVersion: Int) async throws -> String {
        try await Self.run { [base] in try base.digest(schemaVersion: schemaVersion) }
    }

    // MARK: - SyncClientStore

    package var maxDriftMillis: Int64 { base.maxDriftMillis }
    package var wallClock: @Sendable () -> Int64 { base.wallClock }

    package func previousIdentities() async throws -> [ReplicaID] {
        try await Self.run { [base] in try base.previousIdentities() }
    }

    package func reidentify(because reason: String) async throws -> ReplicaID {
        try await Self.run { [base] in try base.reidentify(because: reason) }
    }

    package func restampFutureWrites(acknowledged: UInt64, peerTime: Int64) async throws -> Int {
        try await Self.run { [base] in try base.restampFutureWrites(acknowledged: acknowledged, peerTime: peerTime) }
    }

    package func pendingChangeCount(since: VersionVector) async throws -> Int {
        try await Self.run { [base] in try base.pendingChangeCount(since: since) }
    }

    package func changes(since: VersionVector, limit: Int, excluding: Set<ReplicaID>) async throws -> ChangeBatch {
        try await Self.run { [base] in try base.changes(since: since, limit: limit, excluding: excluding) }
    }

    package func validated(_ batch: ChangeBatch) throws -> ValidatedBatch {
        try base.validated(batch)
    }

    package func apply(_ checked: ValidatedBatch) async throws -> ApplyResult {
        try await Self.run { [base] in try base.apply(checked) }
    }

    package func recordSync(
        peer: String,
        vector: VersionVector,
        digestMatched: Bool?,
        replica: ReplicaID?
    )
        async throws
    {
        try await Self.run { [base] in
            try base.recordSync(peer: peer, vector: vector, digestMatched: digestMatched, replica: replica)
        }
    }

    // MARK: - EnrollmentRegistry

    package func authenticate(token: String) async throws -> Enrollment {
        try await Self.run { [base] in try base.authenticate(token: token) }
    }

    package func originFacts(_ origins: [ReplicaID]) async throws -> [ReplicaID: OriginFact] {
        try await Self.run { [base] in try base.originFacts(origins) }
    }

    package func reservedIdentities() async throws -> [ReplicaID: String] {
        try await Self.run { [base] in try base.reservedIdentities() }
    }

    package func bind(_ origins: [ReplicaID], to enrollment: Enrollment) async throws {
        try await Self.run { [base] in try base.bind(origins, to: enrollment) }
    }

    package func scopeOrigins(for enrollment: Enrollment) async throws -> [ReplicaID] {
        try await Self.run { [base] in try base.scopeOrigins(for: enrollment) }
    }

    package func recordExchange(
        enrollment: String,
        vector: VersionVector,
        digestMatched: Bool?,
        clockOffsetMillis: Int64?
    ) async throws {
        try await Self.run { [base] in
            try base.recordExchange(
                enrollment: enrollment,
                vector: vector,
                digestMatched: digestMatched,
                clockOffsetMillis: clockOffsetMillis
            )
        }
    }

    package func recordVersions(enrollment: String, versions: ReplicaVersions) async throws {
        try await Self.run { [base] in try base.recordVersions(enrollment: enrollment, versions: versions) }
    }

    package func recordRefusal(enrollment: String, error: SyncError) async throws {
        try await Self.run { [base] in try base.recordRefusal(enrollment: enrollment, error: error) }
    }
}
