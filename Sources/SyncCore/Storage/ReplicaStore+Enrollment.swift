import Foundation
import GRDB

/// A replica enrolled at a hub (or at a commune office), with its credential's state.
public struct Enrollment: Hashable, Sendable, Codable {
    /// What an enrolled peer is: a replica of one commune, or a provincial hub relaying a province.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// A commune office or a field laptop: its origins belong to one commune.
        case replica
        /// A provincial hub enrolled at a national hub: it brings the origins of every commune of
        /// its province, and pulls that province's changes only.
        case relay
    }

    /// The enrollment's id (the `replica` printed by `hub-server enroll`).
    public var id: String
    /// What the enrolled peer is.
    public var kind: Kind = .replica
    /// The commune the replica belongs to; for a relay, the province it relays (its scope, such
    /// as `essaouira-province`).
    public var commune: String
    /// A label for people, such as "Tamanar field laptop 2".
    public var label: String
    /// When it was enrolled, Unix milliseconds.
    public var createdAt: Int64
    /// When its credential was revoked, if so.
    public var revokedAt: Int64?
    /// When it last completed an exchange.
    public var lastSyncAt: Int64?
    /// Its vector at the end of that exchange.
    public var lastVector: VersionVector?
    /// Whether its digest matched the hub's then.
    public var lastDigestMatched: Bool?
    /// Its clock's offset from the hub's at that exchange (positive: ahead), in milliseconds.
    public var clockOffsetMillis: Int64?
    /// The replica identities (origins) bound to this enrollment.
    public var origins: [ReplicaID]
    /// How many of its requests were refused for what they claimed or carried.
    public var refusalCount = 0
    /// When the last one was refused, Unix milliseconds.
    public var lastRefusalAt: Int64?
    /// Why the last one was refused.
    public var lastRefusal: String?

    /// Creates an enrollment as a register read it.
    ///
    /// - Parameters:
    ///   - id: The enrollment's id.
    ///   - kind: A commune's replica or a province's relay.
    ///   - commune: The replica's commune (a relay's province).
    ///   - label: A label for people.
    ///   - createdAt: When it was enrolled.
    ///   - revokedAt: When its credential was revoked.
    ///   - lastSyncAt: When it last completed an exchange.
    ///   - lastVector: Its vector then.
    ///   - lastDigestMatched: Whether its digest matched then.
    ///   - clockOffsetMillis: Its clock's offset then.
    ///   - origins: Its bound identities.
    ///   - refusalCount: How many of its requests were refused.
    ///   - lastRefusalAt: When the last one was.
    ///   - lastRefusal: Why.
    public init(
        id: String,
        kind: Kind = .replica,
        commune: String,
        label: String,
        createdAt: Int64,
        revokedAt: Int64? = nil,
        lastSyncAt: Int64? = nil,
        lastVector: VersionVector? = nil,
        lastDigestMatched: Bool? = nil,
        clockOffsetMillis: Int64? = nil,
        origins: [ReplicaID] = [],
        refusalCount: Int = 0,
        lastRefusalAt: Int64? = nil,
        lastRefusal: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.commune = commune
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.lastSyncAt = lastSyncAt
        self.lastVector = lastVector
        self.lastDigestMatched = lastDigestMatched
        self.clockOffsetMillis = clockOffsetMillis
        self.origins = origins
        self.refusalCount = refusalCount
        self.lastRefusalAt = lastRefusalAt
        self.lastRefusal = lastRefusal
    }
}

extension ReplicaStore {
    /// Enrolls a replica: issues a credential, stores only its SHA-256 hash and returns it once.
    ///
    /// The token is `esw1.<enrollment id>.<43 characters of base64url randomness>` (256 bits):
    /// a hash without a slow key-derivation function is enough for a secret of that entropy.
    ///
    /// ```swift
    /// let (enrollment, token) = try hub.enroll(commune: "tamanar", label: "field laptop 1")
    /// ```
    ///
    /// - Parameters:
    ///   - commune: The replica's commune.
    ///   - label: A label for people.
    /// - Returns: The enrollment and its token (shown once, never stored).
    /// - Throws: ``SyncError`` for an unknown commune or an over-long label.
    public func enroll(commune: String, label: String) throws -> (enrollment: Enrollment, token: String) {
        try requireCommune(commune)
        return try insertEnrollment(kind: .replica, scope: commune, label: label)
    }

    func insertEnrollment(
        kind: Enrollment.Kind,
        scope: String,
        label: String
    ) throws -> (enrollment: Enrollment, token: String) {
        guard label.utf8.count <= 200 else { throw SyncError(.tooLarge, "the label is longer than 200 bytes") }
        let id = RecordID.make(millis: wallClock())
        let token = Credential.make(enrollment: id)
        let now = wallClock()
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO sync_enrollment(id, kind, commune, label, token_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, kind.rawValue, scope, label, Credential.hash(token), now]
            )
        }
        let enrollment = Enrollment(
            id: id,
            kind: kind,
            commune: scope,
            label: label,
            createdAt: now,
            revokedAt: nil,
            lastSyncAt: nil,
            lastVector: nil,
            lastDigestMatched: nil,
            clockOffsetMillis: nil,
            origins: []
        )
        return (enrollment, token)
    }

    /// Finds the enrollment a token belongs to, reading its one row by primary key.
    ///
    /// - Parameter token: A bearer token.
    /// - Returns: The enrollment (its origins and last exchange are not read).
    /// - Throws: ``SyncError`` with ``SyncError/Code/unauthorized`` for an unknown, malformed or
    ///   revoked token.
    public func authenticate(token: String) throws -> Enrollment {
        let unknown = SyncError(
            .unauthorized,
            "unknown credential; enroll this replica with 'hub-server enroll' and run init again"
        )
        guard let id = Credential.enrollmentID(in: token) else { throw unknown }
        let found = try read { db in
            try Row.fetchOne(
                db,
                sql:
                    "SELECT id, kind, commune, label, token_hash, created_at, revoked_at FROM sync_enrollment WHERE id = ?",
                arguments: [id]
            )
        }
        guard let found, Credential.matches(token, storedHash: found["token_hash"]) else { throw unknown }
        let enrollment = Enrollment(
            id: found["id"],
            kind: Enrollment.Kind(rawValue: found["kind"]) ?? .replica,
            commune: found["commune"],
            label: found["label"],
            createdAt: found["created_at"],
            revokedAt: found["revoked_at"]
        )
        if enrollment.revokedAt != nil {
            throw SyncError(
                .unauthorized,
                "the credential of replica \(enrollment.id) was revoked; ask the province for a new one"
            )
        }
        return enrollment
    }

    /// What this register knows of some origins: the enrollment each is bound to, and whether
    /// this replica holds changes of it.
    ///
    /// - Parameter origins: The origins.
    /// - Returns: One fact per origin.
    /// - Throws: ``SyncError`` when the database cannot be read.
    package func originFacts(_ origins: [ReplicaID]) throws -> [ReplicaID: OriginFact] {
        try read { db in
            let vector = try VectorTable.load(db)
            let bound = try db.cachedStatement(sql: "SELECT enrollment_id FROM sync_origin WHERE origin = ?")
            let logged = try db.cachedStatement(sql: "SELECT 1 FROM crdt_log WHERE origin = ? LIMIT 1")
            var facts: [ReplicaID: OriginFact] = [:]
            for origin in Set(origins) {
                let enrollment = try String.fetchOne(bound, arguments: [origin.rawValue])
                let held = try vector[origin] > 0 || Int.fetchOne(logged, arguments: [origin.rawValue]) != nil
                facts[origin] = OriginFact(enrollment: enrollment, isHeld: held)
            }
            return facts
        }
    }

    /// The identities no peer may claim here: this replica's own, current and earlier, and those
    /// of the servers it syncs with as a client (``recordSync(peer:vector:digestMatched:replica:)``).
    ///
    /// - Returns: Each identity and what it is.
    /// - Throws: ``SyncError`` when the database cannot be read.
    package func reservedIdentities() throws -> [ReplicaID: String] {
        try read { db in
            var reserved: [ReplicaID: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT peer, replica FROM crdt_peer WHERE replica IS NOT NULL") {
                let peer: String = row["peer"]
                reserved[ReplicaID(validated: row["replica"])] =
                    "the identity of \(peer.prefix(80)), a server this one syncs with"
            }
            for earlier in try String.fetchAll(db, sql: "SELECT replica FROM crdt_identity_history") {
                reserved[ReplicaID(validated: earlier)] = "an earlier identity of this server"
            }
            reserved[try LocalState.Stored.read(db).replica] = "this server's own identity"
            return reserved
        }
    }

    /// Binds origins to an enrollment; an origin bound meanwhile to another enrollment refuses.
    ///
    /// - Parameters:
    ///   - origins: Origins admitted by ``OriginAdmission``.
    ///   - enrollment: The enrollment that presented or brought them first.
    /// - Throws: ``SyncError`` with ``SyncError/Code/forbidden`` for an origin bound to another.
    package func bind(_ origins: [ReplicaID], to enrollment: Enrollment) throws {
        guard !origins.isEmpty else { return }
        try write { db in
            for origin in origins {
                try db.execute(
                    sql: """
                        INSERT INTO sync_origin(origin, enrollment_id, commune, bound_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(origin) DO NOTHING
                        """,
                    arguments: [origin.rawValue, enrollment.id, enrollment.commune, wallClock()]
                )
                let owner = try String.fetchOne(
                    db,
                    sql: "SELECT enrollment_id FROM sync_origin WHERE origin = ?",
                    arguments: [origin.rawValue]
                )
                guard owner == enrollment.id else {
                    throw SyncError(
                        .forbidden,
                        "replica \(origin) was bound to another enrollment in the meantime; nothing more was bound"
                    )
                }
            }
        }
    }

    /// Records a refused request of an enrollment: its count of refusals and the last message.
    ///
    /// - Parameters:
    ///   - enrollment: The enrollment's id.
    ///   - error: The refusal.
    /// - Throws: ``SyncError`` when the database cannot be written.
    package func recordRefusal(enrollment: String, error: SyncError) throws {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE sync_enrollment SET refusal_count = refusal_count + 1, last_refusal_at = ?, last_refusal = ?
                    WHERE id = ?
                    """,
                arguments: [wallClock(), Self.refusalText(error), enrollment]
            )
        }
    }

    /// A refusal as the register keeps it: its code and message, at most 500 bytes.
    package static func refusalText(_ error: SyncError) -> String {
        var text = "\(error.code): \(error.message)"
        while text.utf8.count > 500 { text.removeLast() }
        return text
    }

    /// Records the end of an exchange with an enrolled replica.
    ///
    /// - Parameters:
    ///   - enrollment: The replica's enrollment id.
    ///   - vector: Its vector.
    ///   - digestMatched: Whether its digest matched.
    ///   - clockOffsetMillis: Its clock minus the hub's.
    /// - Throws: ``SyncError`` when the database cannot be written.
    public func recordExchange(
        enrollment: String,
        vector: VersionVector,
        digestMatched: Bool?,
        clockOffsetMillis: Int64?
    ) throws {
        let encoded = String(decoding: try JSONEncoder().encode(vector), as: UTF8.self)
        try write { db in
            try db.execute(
                sql: """
                    UPDATE sync_enrollment SET last_sync_at = ?, last_vector = ?,
                        last_digest_match = coalesce(?, last_digest_match), clock_offset_ms = coalesce(?, clock_offset_ms)
                    WHERE id = ?
                    """,
                arguments: [wallClock(), encoded, digestMatched, clockOffsetMillis, enrollment]
            )
        }
    }

    /// Revokes an enrollment's credential: its next request is refused.
    ///
    /// - Parameter id: The enrollment's id.
    /// - Throws: ``SyncError`` with ``SyncError/Code/recordNotFound`` for an unknown id.
    public func revoke(enrollment id: String) throws {
        let changed = try write { db in
            try db.execute(
                sql: "UPDATE sync_enrollment SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [wallClock(), id]
            )
            return db.changesCount
        }
        guard changed == 1 else { throw SyncError(.recordNotFound, "no active enrollment with id \(id)") }
    }

    /// One enrollment, or `nil`.
    ///
    /// - Parameter id: The enrollment's id.
    /// - Returns: The enrollment.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func enrollment(_ id: String) throws -> Enrollment? {
        try enrollments(id: id).first
    }

    /// Every enrollment, oldest first.
    ///
    /// - Returns: The enrollments.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func enrollments() throws -> [Enrollment] {
        try enrollments(id: nil)
    }

    private func enrollments(id: String?) throws -> [Enrollment] {
        try read { db in
            let filter = id == nil ? "" : " WHERE enrollment_id = ?"
            let bound = try Row.fetchAll(
                db,
                sql: "SELECT origin, enrollment_id FROM sync_origin\(filter) ORDER BY origin",
                arguments: StatementArguments(id.map { [$0] } ?? [])
            )
            let origins = Dictionary(grouping: bound, by: { $0["enrollment_id"] as String })
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM sync_enrollment\(id == nil ? "" : " WHERE id = ?") ORDER BY created_at, id",
                arguments: StatementArguments(id.map { [$0] } ?? [])
            ).map { row in
                let vectorText: String? = row["last_vector"]
                return Enrollment(
                    id: row["id"],
                    kind: Enrollment.Kind(rawValue: row["kind"]) ?? .replica,
                    commune: row["commune"],
                    label: row["label"],
                    createdAt: row["created_at"],
                    revokedAt: row["revoked_at"],
                    lastSyncAt: row["last_sync_at"],
                    lastVector: try vectorText.map {
                        try JSONDecoder().decode(VersionVector.self, from: Data($0.utf8))
                    },
                    lastDigestMatched: (row["last_digest_match"] as Int64?).map { $0 == 1 },
                    clockOffsetMillis: row["clock_offset_ms"],
                    origins: (origins[row["id"]] ?? []).map { ReplicaID(validated: $0["origin"]) },
                    refusalCount: row["refusal_count"],
                    lastRefusalAt: row["last_refusal_at"],
                    lastRefusal: row["last_refusal"]
                )
            }
        }
    }
}
