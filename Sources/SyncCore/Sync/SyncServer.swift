/// The server side of an exchange, independent of HTTP: answers hello, pull and push from a store.
///
/// The HTTP routes of the hub and of a commune office call the methods for enrolled peers
/// (``hello(_:from:)``, ``pull(_:for:)``, ``push(_:from:)``), which hold the server's whole
/// policy; the seeded simulation calls the same methods. The methods without an enrollment answer
/// a trusted peer in the same process (the in-memory transport of tests).
///
/// ```swift
/// let server = SyncServer(store: hubStore)
/// let batch = try await server.pull(PullRequest(vector: clientVector, limit: 500))
/// ```
public struct SyncServer: Sendable {
    /// The largest batch a client may ask for or send.
    public static let maxBatchLimit = ChangeBatch.maxChanges

    /// The store served.
    public let store: any SyncStore
    /// The wall clock, Unix milliseconds.
    public let wallClock: @Sendable () -> Int64
    /// How long a pushed batch waits for the batch it continues (see ``push(_:)``).
    public let predecessorWait: Duration
    /// The register of the peers this server answers (credentials, bound origins), for the
    /// requests of enrolled peers (``hello(_:from:)``, ``push(_:from:)``); `nil` for a server
    /// that only answers trusted peers in the same process.
    package let registry: (any EnrollmentRegistry)?

    /// Creates a server.
    ///
    /// - Parameters:
    ///   - store: The store served.
    ///   - wallClock: The wall clock, Unix milliseconds.
    ///   - predecessorWait: How long a pushed batch waits for the batch it continues.
    public init(
        store: any SyncStore,
        wallClock: @escaping @Sendable () -> Int64 = SyncClient.systemMillis,
        predecessorWait: Duration = Self.defaultPredecessorWait
    ) {
        self.store = store
        self.wallClock = wallClock
        self.predecessorWait = predecessorWait
        self.registry = nil
    }

    /// Creates a server that answers enrolled peers, checking what each claims against its
    /// register.
    ///
    /// - Parameters:
    ///   - store: The store served.
    ///   - registry: The register of the enrolled peers.
    ///   - wallClock: The wall clock, Unix milliseconds.
    ///   - predecessorWait: How long a pushed batch waits for the batch it continues.
    package init(
        store: any SyncStore,
        registry: any EnrollmentRegistry,
        wallClock: @escaping @Sendable () -> Int64 = SyncClient.systemMillis,
        predecessorWait: Duration = Self.defaultPredecessorWait
    ) {
        self.store = store
        self.wallClock = wallClock
        self.predecessorWait = predecessorWait
        self.registry = registry
    }

    /// Answers a hello, refusing a client on another protocol.
    ///
    /// Clients on other schema versions are served: each side keeps what it does not know of
    /// the other's changes, and the digest answered is the one of the older of the two versions.
    ///
    /// - Parameter request: The client's hello.
    /// - Returns: The server's vector, clock and digest.
    /// - Throws: ``SyncError`` with ``SyncError/Code/protocolMismatch``.
    public func hello(_ request: HelloRequest) async throws -> HelloResponse {
        guard request.protocolVersion == ProtocolVersion.current else {
            throw SyncError(
                .protocolMismatch,
                "this hub speaks sync protocol \(ProtocolVersion.current) and the replica speaks "
                    + "\(request.protocolVersion); upgrade replica-node to the hub's version"
            )
        }
        return HelloResponse(
            replica: store.replicaID,
            vector: try await store.vector(),
            schemaVersion: store.schema.version,
            serverTime: wallClock(),
            digest: try await store.digest(schemaVersion: SchemaVersions.compared(request.schemaVersion, store.schema))
        )
    }

    /// Answers a pull with a bounded batch.
    ///
    /// - Parameter request: What the client has.
    /// - Returns: The changes it lacks, at most `request.limit` (capped at ``maxBatchLimit``).
    /// - Throws: ``SyncError``.
    public func pull(_ request: PullRequest) async throws -> ChangeBatch {
        try await pull(request, filter: .all)
    }

    /// Answers a pull with a bounded batch of the origins a filter admits.
    ///
    /// A national hub answers a relay (a provincial hub) this way: only its province's origins and
    /// the national hub's own, with covered ranges of those origins only, so the relay's vector
    /// never claims another province's changes.
    ///
    /// ```swift
    /// let batch = try await server.pull(request, filter: .only(provinceOrigins))
    /// ```
    ///
    /// - Parameters:
    ///   - request: What the client has.
    ///   - filter: The origins the client may receive.
    /// - Returns: The changes it lacks among those origins, at most `request.limit` (capped at
    ///   ``maxBatchLimit``).
    /// - Throws: ``SyncError``.
    public func pull(_ request: PullRequest, filter: OriginFilter) async throws -> ChangeBatch {
        guard request.limit > 0 else {
            throw SyncError(.invalidArgument, "limit must be at least 1 (got \(request.limit))")
        }
        let limit = min(request.limit, Self.maxBatchLimit)
        guard filter != .all else { return try await store.changes(since: request.vector, limit: limit) }
        return try await store.changes(since: request.vector, limit: limit, filter: filter)
    }

    /// Applies a pushed batch.
    ///
    /// - Parameter batch: The client's changes.
    /// - Returns: What took effect and the server's new vector.
    /// - Throws: ``SyncError``; nothing is applied then.
    public func push(_ batch: ChangeBatch) async throws -> PushResponse {
        guard batch.changes.count <= Self.maxBatchLimit else {
            throw SyncError(
                .tooLarge,
                "a batch holds at most \(Self.maxBatchLimit) changes (got \(batch.changes.count))"
            )
        }
        try await awaitPredecessor(of: batch)
        let result = try await store.apply(batch)
        return PushResponse(applied: result.applied, ignored: result.ignored, vector: result.vector)
    }

    /// How long a pushed batch waits for the batch it continues, unless told otherwise.
    public static let defaultPredecessorWait: Duration = .seconds(2)

    /// Waits while a batch continues one that is not applied yet.
    ///
    /// A client keeps two pushes in flight: batch N+1 covers ranges that start where batch N's
    /// end, and can reach the server while N is still being decoded or applied. Applied first,
    /// its changes would be stored but the vector could not move over them (it moves only over
    /// ranges that start at or below it), and the client would send them again. So a batch whose
    /// ranges start above this store's vector waits, up to ``predecessorWait``, for the vector to
    /// reach them; then it is applied as it is (its changes are kept, idempotently).
    private func awaitPredecessor(of batch: ChangeBatch) async throws {
        let deadline = ContinuousClock.now + predecessorWait
        while true {
            let vector = try await store.vector()
            if batch.covered.allSatisfy({ vector[$0.origin] >= $0.after }) || ContinuousClock.now >= deadline { return }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
