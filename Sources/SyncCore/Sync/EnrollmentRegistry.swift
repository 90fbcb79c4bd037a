/// The register of enrolled peers kept by a server (the hub, or a commune office for its field
/// laptops): credentials, which enrollment each origin is bound to, and what each peer did at its
/// last exchange.
///
/// ``SyncServer`` applies the server's policy (``OriginAdmission``, the bounds of a hello) through
/// this protocol only, so that the SQLite register (``ReplicaStore``), the hub's PostgreSQL
/// backend and the office's register follow the same rules, and so does the in-memory
/// simulation. The requirements are `async` for PostgreSQL; the SQLite store's synchronous
/// methods satisfy them.
package protocol EnrollmentRegistry: Sendable {
    /// Finds the enrollment a bearer token belongs to, reading one indexed row.
    ///
    /// - Parameter token: The token.
    /// - Returns: The enrollment (without its origins and last exchange).
    /// - Throws: ``SyncError`` with ``SyncError/Code/unauthorized`` for an unknown or revoked token.
    func authenticate(token: String) async throws -> Enrollment

    /// What the server knows of some origins: the enrollment each is bound to, and whether the
    /// server holds changes of it.
    ///
    /// - Parameter origins: The origins a peer claims.
    /// - Returns: One fact per origin asked for.
    /// - Throws: ``SyncError`` when the register cannot be read.
    func originFacts(_ origins: [ReplicaID]) async throws -> [ReplicaID: OriginFact]

    /// The identities nobody may claim: the server's own (current and earlier) and those of the
    /// servers it syncs with as a client (its hub, its national hub), with a description of each.
    ///
    /// - Returns: Each reserved identity and what it is.
    /// - Throws: ``SyncError`` when the register cannot be read.
    func reservedIdentities() async throws -> [ReplicaID: String]

    /// Binds origins nobody holds yet to an enrollment; one bound meanwhile to another enrollment
    /// is refused.
    ///
    /// - Parameters:
    ///   - origins: The origins, admitted by ``OriginAdmission``.
    ///   - enrollment: The enrollment that presented or brought them first.
    /// - Throws: ``SyncError`` with ``SyncError/Code/forbidden`` when one was bound to another
    ///   enrollment in the meantime.
    func bind(_ origins: [ReplicaID], to enrollment: Enrollment) async throws

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
    ///   - vector: The replica's vector, cut down to the origins the server knows.
    ///   - digestMatched: Whether its digest matched the server's, when it sent one.
    ///   - clockOffsetMillis: Its clock minus the server's, when known.
    /// - Throws: ``SyncError`` when the register cannot be written.
    func recordExchange(
        enrollment: String,
        vector: VersionVector,
        digestMatched: Bool?,
        clockOffsetMillis: Int64?
    ) async throws

    /// Records the schema version and release a replica said it runs at a hello.
    ///
    /// - Parameters:
    ///   - enrollment: The enrollment's id.
    ///   - versions: What its hello said.
    /// - Throws: ``SyncError`` when the register cannot be written.
    func recordVersions(enrollment: String, versions: ReplicaVersions) async throws

    /// Records that a request of an enrollment was refused, for the operator: the count of
    /// refusals and the last one's message are kept with the enrollment.
    ///
    /// - Parameters:
    ///   - enrollment: The enrollment's id.
    ///   - error: The refusal.
    /// - Throws: ``SyncError`` when the register cannot be written.
    func recordRefusal(enrollment: String, error: SyncError) async throws
}

extension ReplicaStore: EnrollmentRegistry {}
