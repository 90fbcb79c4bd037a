import Foundation
import PostgresNIO
package import SyncCore

// MARK: - EnrollmentRegistry

extension PostgresHubStore: EnrollmentRegistry {
    /// Enrolls a replica: stores its credential's hash and returns the credential once.
    ///
    /// - Parameters:
    ///   - commune: The replica's commune.
    ///   - label: A label for people.
    /// - Returns: The enrollment and its token.
    /// - Throws: ``SyncError`` for an unknown commune, an over-long label or a database failure.
    package func enroll(commune: String, label: String) async throws -> (enrollment: Enrollment, token: String) {
        try await requireCommune(commune)
        return try await insertEnrollment(kind: .replica, scope: commune, label: label)
    }

    /// Enrolls a provincial hub as the relay of its province (see
    /// ``ReplicaStore/enroll(relay:label:)``, whose rules it keeps).
    ///
    /// - Parameters:
    ///   - province: The province's name.
    ///   - label: A label for people.
    /// - Returns: The enrollment and its token.
    /// - Throws: ``SyncError`` for an invalid province, an over-long label or a database failure.
    package func enroll(relay province: String, label: String) async throws -> (enrollment: Enrollment, token: String) {
        try ReplicaStore.requireProvince(province)
        return try await insertEnrollment(kind: .relay, scope: province, label: label)
    }

    private func insertEnrollment(
        kind: Enrollment.Kind,
        scope: String,
        label: String
    ) async throws -> (enrollment: Enrollment, token: String) {
        guard label.utf8.count <= 200 else { throw SyncError(.tooLarge, "the label is longer than 200 bytes") }
        let id = RecordID.make(millis: wallClock())
        let token = Credential.make(enrollment: id)
        let now = wallClock()
        try await wrapping("enroll a \(kind.rawValue)") {
            try await client.query(
                """
                INSERT INTO hub_enrollment(id, kind, commune, label, token_hash, created_at)
                VALUES (\(id), \(kind.rawValue), \(scope), \(label), \(Credential.hash(token)), \(now))
                """,
                logger: logger
            )
        }
        return (Enrollment(id: id, kind: kind, commune: scope, label: label, createdAt: now), token)
    }

    package func authenticate(token: String) async throws -> Enrollment {
        let unknown = SyncError(
            .unauthorized,
            "unknown credential; enroll this replica with 'hub-server enroll' and run init again"
        )
        guard let id = Credential.enrollmentID(in: token) else { throw unknown }
        let found = try await wrapping("check a credential") {
            let rows = try await client.query(
                "SELECT kind, commune, label, token_hash, created_at, revoked_at FROM hub_enrollment WHERE id = \(id)",
                logger: logger
            )
            var found: (Enrollment, String)?
            for try await (kind, commune, label, hash, created, revoked) in rows.decode(
                (String, String, String, String, Int64, Int64?).self
            ) {
                let enrollment = Enrollment(
                    id: id,
                    kind: Enrollment.Kind(rawValue: kind) ?? .replica,
                    commune: commune,
                    label: label,
                    createdAt: created,
                    revokedAt: revoked
                )
                found = (enrollment, hash)
            }
            return found
        }
        guard let (enrollment, hash) = found, Credential.matches(token, storedHash: hash) else { throw unknown }
        if enrollment.revokedAt != nil {
            throw SyncError(
                .unauthorized,
                "the credential of replica \(enrollment.id) was revoked; ask the province for a new one"
            )
        }
        return enrollment
    }

    package func originFacts(_ origins: [ReplicaID]) async throws -> [ReplicaID: OriginFact] {
        let ids = Array(Set(origins.map(\.rawValue)))
        guard !ids.isEmpty else { return [:] }
        return try await wrapping("read what is known of replica identities") {
            let rows = try await client.query(
                """
                SELECT o.id, b.enrollment_id,
                    EXISTS (SELECT 1 FROM hub_vector v WHERE v.origin = o.id AND v.seq > 0)
                    OR EXISTS (SELECT 1 FROM hub_log l WHERE l.origin = o.id)
                FROM unnest(\(ids)::text[]) AS o(id) LEFT JOIN hub_origin b ON b.origin = o.id
                """,
                logger: logger
            )
            var facts: [ReplicaID: OriginFact] = [:]
            for try await (origin, enrollment, held) in rows.decode((String, String?, Bool).self) {
                facts[try ReplicaID(parsing: origin)] = OriginFact(enrollment: enrollment, isHeld: held)
            }
            return facts
        }
    }

    /// This hub's own identity: a PostgreSQL hub syncs with no upstream hub yet.
    package func reservedIdentities() async throws -> [ReplicaID: String] {
        [replicaID: "this server's own identity"]
    }

    package func bind(_ origins: [ReplicaID], to enrollment: Enrollment) async throws {
        guard !origins.isEmpty else { return }
        let now = wallClock()
        try await wrapping("bind replica identities") {
            try await client.withTransaction(logger: logger) { connection in
                for origin in origins {
                    // ON CONFLICT keeps the first binding when two processes bind the same origin at once.
                    try await connection.query(
                        """
                        INSERT INTO hub_origin(origin, enrollment_id, commune, bound_at)
                        VALUES (\(origin.rawValue), \(enrollment.id), \(enrollment.commune), \(now))
                        ON CONFLICT (origin) DO NOTHING
                        """,
                        logger: logger
                    )
                    let rows = try await connection.query(
                        "SELECT enrollment_id FROM hub_origin WHERE origin = \(origin.rawValue)",
                        logger: logger
                    )
                    for try await owner in rows.decode(String.self) where owner != enrollment.id {
                        throw SyncError(
                            .forbidden,
                            "replica \(origin) was bound to another enrollment in the meantime; nothing more was bound"
                        )
                    }
                }
            }
        }
    }

    package func recordRefusal(enrollment: String, error: SyncError) async throws {
        let now = wallClock()
        let text = ReplicaStore.refusalText(error)
        try await wrapping("record a refusal") {
            try await client.query(
                """
                UPDATE hub_enrollment SET refusal_count = refusal_count + 1, last_refusal_at = \(now),
                    last_refusal = \(text)
                WHERE id = \(enrollment)
                """,
                logger: logger
            )
        }
    }

    /// The origins bound to an enrollment's commune or province: what a relay's pulls carry,
    /// beside this hub's own origin.
    package func scopeOrigins(for enrollment: Enrollment) async throws -> [ReplicaID] {
        try await wrapping("read a province's identities") {
            let rows = try await client.query(
                "SELECT origin FROM hub_origin WHERE commune = \(enrollment.commune) ORDER BY origin",
                logger: logger
            )
            var origins: [ReplicaID] = []
            for try await origin in rows.decode(String.self) { origins.append(try ReplicaID(parsing: origin)) }
            return origins
        }
    }

    package func recordExchange(
        enrollment: String,
        vector: VersionVector,
        digestMatched: Bool?,
        clockOffsetMillis: Int64?
    ) async throws {
        let encoded = String(decoding: try JSONEncoder().encode(vector), as: UTF8.self)
        let now = wallClock()
        try await wrapping("record an exchange") {
            try await client.query(
                """
                UPDATE hub_enrollment SET last_sync_at = \(now), last_vector = \(encoded),
                    last_digest_match = coalesce(\(digestMatched), last_digest_match),
                    clock_offset_ms = coalesce(\(clockOffsetMillis), clock_offset_ms)
                WHERE id = \(enrollment)
                """,
                logger: logger
            )
        }
    }

    /// Revokes an enrollment's credential.
    ///
    /// - Parameter id: The enrollment's id.
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` for an unknown or revoked id.
    package func revoke(enrollment id: String) async throws {
        let now = wallClock()
        let revoked = try await wrapping("revoke a credential") {
            let rows = try await client.query(
                "UPDATE hub_enrollment SET revoked_at = \(now) WHERE id = \(id) AND revoked_at IS NULL RETURNING id",
                logger: logger
            )
            var count = 0
            for try await _ in rows.decode(String.self) { count += 1 }
            return count
        }
        guard revoked == 1 else { throw SyncError(.recordNotFound, "no active enrollment with id \(id.prefix(40))") }
    }
}
