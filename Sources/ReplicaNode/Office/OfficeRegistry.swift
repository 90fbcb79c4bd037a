import SyncCore

/// The enrollment register of a commune office that serves its field laptops.
///
/// It is the office's own ``ReplicaStore`` register (credentials hashed at rest, origins bound
/// to the laptop that presented or brought them first), under the same rule as the hub's
/// (``OriginAdmission``): a laptop may claim only identities the office has never heard of or
/// that are already its own. Every origin the office holds and that no laptop brought (its own,
/// the hub's, other communes', replicas heard of through the hub) is refused from a laptop, and
/// so is another laptop's. Only the refusal of a credential speaks of the office's commands
/// rather than the hub's.
struct OfficeRegistry: EnrollmentRegistry {
    /// The office's store, called off the cooperative pool.
    let store: ServedReplicaStore

    /// Finds a laptop's enrollment; the refusal names the office's commands, not the hub's.
    func authenticate(token: String) async throws -> Enrollment {
        do {
            return try await store.authenticate(token: token)
        } catch let error as SyncError where error.code == .unauthorized {
            let revoked = error.message.contains("revoked")
            throw SyncError(
                .unauthorized,
                revoked
                    ? "this laptop's credential was revoked at the office; ask the office for a new one ('peer add')"
                    : "unknown credential; this office enrolls its laptops with 'replica-node peer add' and the "
                        + "laptop passes that credential with 'sync --token-file'"
            )
        }
    }

    func originFacts(_ origins: [ReplicaID]) async throws -> [ReplicaID: OriginFact] {
        try await store.originFacts(origins)
    }

    func reservedIdentities() async throws -> [ReplicaID: String] {
        try await store.reservedIdentities()
    }

    func bind(_ origins: [ReplicaID], to enrollment: Enrollment) async throws {
        try await store.bind(origins, to: enrollment)
    }

    /// The origins bound to a laptop's commune; an office enrolls no relays, so its pulls are
    /// never filtered by them.
    func scopeOrigins(for enrollment: Enrollment) async throws -> [ReplicaID] {
        try await store.scopeOrigins(for: enrollment)
    }

    func recordExchange(
        enrollment: String,
        vector: VersionVector,
        digestMatched: Bool?,
        clockOffsetMillis: Int64?
    ) async throws {
        try await store.recordExchange(
            enrollment: enrollment,
            vector: vector,
            digestMatched: digestMatched,
            clockOffsetMillis: clockOffsetMillis
        )
    }

    func recordVersions(enrollment: String, versions: ReplicaVersions) async throws {
        try await store.recordVersions(enrollment: enrollment, versions: versions)
    }

    func recordRefusal(enrollment: String, error: SyncError) async throws {
        try await store.recordRefusal(enrollment: enrollment, error: error)
    }
}
