import SyncCore
import SyncHTTP

/// The enrollment register of a commune office that serves its field laptops.
///
/// It is the office's own ``ReplicaStore`` register (credentials hashed at rest, origins bound
/// at each hello), with one rule more than the hub's: the office knows no other commune's
/// bindings, so every origin it already holds and that is bound to none of its laptops (its
/// own, other communes', replicas synced through the hub) is foreign to a laptop. A laptop
/// leaves those out of its pushes, and a batch carrying one is refused: it introduces only
/// its own changes and those of the office's other laptops, and they keep their true origin.
/// The identities a laptop presents at its hello are bound to it first, so its own changes
/// are never foreign, even when the office already received them through the hub.
struct OfficeRegistry: EnrollmentRegistry {
    /// The office's store.
    let store: ReplicaStore

    /// Finds a laptop's enrollment; the refusal names the office's commands, not the hub's.
    func authenticate(token: String) throws -> Enrollment {
        do {
            return try store.authenticate(token: token)
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

    /// Binds the identities a laptop presents at its hello, as the hub does (an identity
    /// already bound to another laptop of the same commune is accepted).
    func bind(origins: [ReplicaID], to enrollment: Enrollment) throws {
        try store.bind(origins: origins, to: enrollment)
    }

    func authorize(_ batch: ChangeBatch, from enrollment: Enrollment) throws {
        let foreign = Set(try foreignOrigins(for: enrollment))
        let origins = Set(batch.changes.map(\.origin)).union(batch.covered.map(\.origin))
        if let found = origins.sorted().first(where: foreign.contains) {
            throw SyncError(
                .forbidden,
                "the batch carries changes of replica \(found), which is not a laptop of this office; "
                    + "a laptop relays only its own changes and those of the office's laptops; nothing applied"
            )
        }
        try store.authorize(batch, from: enrollment)
    }

    func foreignOrigins(for enrollment: Enrollment) throws -> [ReplicaID] {
        let laptops = Set(try store.enrollments().flatMap(\.origins))
        let known = try store.vector().entries.keys
        return known.filter { !laptops.contains($0) }.sorted()
    }

    /// The origins bound to a laptop's commune; an office enrolls no relays, so its pulls are
    /// never filtered by them.
    func scopeOrigins(for enrollment: Enrollment) throws -> [ReplicaID] {
        try store.scopeOrigins(for: enrollment)
    }

    func recordExchange(
        enrollment: String,
        vector: VersionVector,
        digestMatched: Bool?,
        clockOffsetMillis: Int64?
    ) throws {
        try store.recordExchange(
            enrollment: enrollment,
            vector: vector,
            digestMatched: digestMatched,
            clockOffsetMillis: clockOffsetMillis
        )
    }
}
