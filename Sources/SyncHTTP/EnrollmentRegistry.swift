package import SyncCore

/// The register of enrolled replicas kept by the hub (or by a commune office for its laptops): credentials, the origins bound to each commune and
/// the state of each replica's last exchange.
///
/// The sync routes use it through this protocol only, so that the hub's PostgreSQL backend can
/// implement it beside ``SyncStore`` without touching the routes. ``ReplicaStore`` implements it
/// in SQLite and ``PostgresHubStore`` in PostgreSQL. The requirements are `async` for the
/// latter; the SQLite store's synchronous methods satisfy them.
package protocol EnrollmentRegistry: Sendable {
    /// Finds the enrollment a bearer token belongs to.
    ///
    /// - Parameter token: The token.
    /// - Returns: The enrollment.
    /// - Throws: ``SyncError`` with ``SyncError/Code/unauthorized`` for an unknown or revoked token.
    func authenticate(token: String) async throws -> Enrollment

    /// Binds the identities a replica presents to its enrollment's commune.
    ///
    /// - Parameters:
    ///   - origins: The replica's current and previous identities.
    ///   - enrollment: Its enrollment.
    /// - Throws: ``SyncError`` with ``SyncError/Code/forbidden`` when one belongs to another commune.
    func bind(origins: [ReplicaID], to enrollment: Enrollment) async throws

    /// Checks that every origin of a pushed batch belongs to the pusher's commune.
    ///
    /// - Parameters:
    ///   - batch: The pushed batch.
    ///   - enrollment: The pusher's enrollment.
    /// - Throws: ``SyncError`` with ``SyncError/Code/forbidden`` naming a forged origin.
    func authorize(_ batch: ChangeBatch, from enrollment: Enrollment) async throws

    /// The origins bound to other communes, which the enrollment's replica must not push.
    func foreignOrigins(for enrollment: Enrollment) async throws -> [ReplicaID]

    /// The origins bound to the enrollment's commune or province: what a relay may pull, beside
    /// the hub's own origin.
    ///
    /// - Parameter enrollment: The enrollment (a relay's, in practice).
    /// - Returns: The origins.
    /// - Throws: ``SyncError`` when the register cannot be read.
    func scopeOrigins(for enrollment: Enrollment) async throws -> [ReplicaID]

    /// Records a replica's vector and digest agreement at a hello.
    ///
    /// - Parameters:
    ///   - enrollment: The enrollment's id.
    ///   - vector: The replica's vector.
    ///   - digestMatched: Whether its digest matched the hub's, when it sent one.
    ///   - clockOffsetMillis: Its clock minus the hub's, when known.
    /// - Throws: ``SyncError`` when the register cannot be written.
    func recordExchange(
        enrollment: String,
        vector: VersionVector,
        digestMatched: Bool?,
        clockOffsetMillis: Int64?
    ) async throws
}

extension ReplicaStore: EnrollmentRegistry {}
