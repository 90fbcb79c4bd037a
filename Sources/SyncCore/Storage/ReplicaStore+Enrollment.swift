import Crypto
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
        origins: [ReplicaID] = []
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
        try Self.requireCommune(commune)
        return try insertEnrollment(kind: .replica, scope: commune, label: label)
    }

    func insertEnrollment(
        kind: Enrollment.Kind,
        scope: String,
        label: String
    ) throws -> (enrollment: Enrollment, token: String) {
        guard label.utf8.count <= 200 else { throw SyncError(.tooLarge, "the label is longer than 200 bytes") }
        let id = RecordID.make(millis: wallClock())
        let token = Self.makeToken(enrollment: id)
        let now = wallClock()
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO sync_enrollment(id, kind, commune, label, token_hash, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, kind.rawValue, scope, label, Self.hash(token), now]
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

    /// Finds the enrollment a token belongs to.
    ///
    /// - Parameter token: A bearer token.
    /// - Returns: The enrollment.
    /// - Throws: ``SyncError`` with ``SyncError/Code/unauthorized`` for an unknown, malformed or
    ///   revoked token.
    public func authenticate(token: String) throws -> Enrollment {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "esw1", token.utf8.count < 200,
            let enrollment = try self.enrollment(String(parts[1]))
        else {
            throw SyncError(
                .unauthorized,
                "unknown credential; enroll this replica with 'hub-server enroll' and run init again"
            )
        }
        let stored = try read { db in
            try String.fetchOne(
                db,
                sql: "SELECT token_hash FROM sync_enrollment WHERE id = ?",
                arguments: [enrollment.id]
            )
        }
        guard let stored, Self.constantTimeEqual(stored, Self.hash(token)) else {
            throw SyncError(
                .unauthorized,
                "unknown credential; enroll this replica with 'hub-server enroll' and run init again"
            )
        }
        if enrollment.revokedAt != nil {
            throw SyncError(
                .unauthorized,
                "the credential of replica \(enrollment.id) was revoked; ask the province for a new one"
            )
        }
        return enrollment
    }

    /// Binds replica identities to an enrollment; an identity already bound to another commune
    /// is refused.
    ///
    /// - Parameters:
    ///   - origins: The identities a replica presents (current and previous).
    ///   - enrollment: Its enrollment.
    /// - Throws: ``SyncError`` with ``SyncError/Code/forbidden`` when one belongs to another commune.
    public func bind(origins: [ReplicaID], to enrollment: Enrollment) throws {
        try write { db in
            for origin in origins {
                if let commune = try String.fetchOne(
                    db,
                    sql: "SELECT commune FROM sync_origin WHERE origin = ?",
                    arguments: [origin.rawValue]
                ) {
                    guard commune == enrollment.commune else {
                        let mine = enrollment.kind == .relay ? "province" : "commune"
                        throw SyncError(
                            .forbidden,
                            "replica \(origin) belongs to \(commune), not to the \(mine) \(enrollment.commune) of "
                                + "enrollment \(enrollment.id); nothing was applied"
                        )
                    }
                    continue
                }
                try db.execute(
                    sql: "INSERT INTO sync_origin(origin, enrollment_id, commune, bound_at) VALUES (?, ?, ?, ?)",
                    arguments: [origin.rawValue, enrollment.id, enrollment.commune, wallClock()]
                )
            }
        }
    }

    /// Checks that every change of a batch comes from an origin of the enrollment's commune,
    /// binding origins seen for the first time to it.
    ///
    /// - Parameters:
    ///   - batch: A pushed batch.
    ///   - enrollment: The pusher's enrollment.
    /// - Throws: ``SyncError`` with ``SyncError/Code/forbidden`` naming the first forged origin.
    public func authorize(_ batch: ChangeBatch, from enrollment: Enrollment) throws {
        let origins = Set(batch.changes.map(\.origin)).union(batch.covered.map(\.origin))
        try bind(origins: origins.sorted(), to: enrollment)
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

    /// The origins bound to other communes than an enrollment's: what its replica may not push.
    ///
    /// ```swift
    /// let foreign = try hub.foreignOrigins(for: enrollment)
    /// ```
    ///
    /// - Parameter enrollment: The replica's enrollment.
    /// - Returns: The origins, sorted.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func foreignOrigins(for enrollment: Enrollment) throws -> [ReplicaID] {
        try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT origin FROM sync_origin WHERE commune <> ? ORDER BY origin",
                arguments: [enrollment.commune]
            ).map { ReplicaID(validated: $0) }
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
        try enrollments().first { $0.id == id }
    }

    /// Every enrollment, oldest first.
    ///
    /// - Returns: The enrollments.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func enrollments() throws -> [Enrollment] {
        try read { db in
            let bound = try Row.fetchAll(db, sql: "SELECT origin, enrollment_id FROM sync_origin ORDER BY origin")
            let origins = Dictionary(grouping: bound, by: { $0["enrollment_id"] as String })
            return try Row.fetchAll(db, sql: "SELECT * FROM sync_enrollment ORDER BY created_at, id").map { row in
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
                    origins: (origins[row["id"]] ?? []).map { ReplicaID(validated: $0["origin"]) }
                )
            }
        }
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
