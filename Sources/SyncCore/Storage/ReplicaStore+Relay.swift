import GRDB

// MARK: - Relays: a provincial hub enrolled at a national hub

extension ReplicaStore {
    /// Enrolls a provincial hub as a relay of its province: issues a credential, stores only its
    /// hash and returns it once.
    ///
    /// A relay may push the changes of every origin it brings first (its province's communes and
    /// its own), never an origin bound to another commune or province; its pulls return only the
    /// origins bound to its province, plus this hub's own.
    ///
    /// ```swift
    /// let (enrollment, token) = try national.enroll(relay: "essaouira-province", label: "Essaouira hub")
    /// ```
    ///
    /// - Parameters:
    ///   - province: The province's name: lowercase letters, digits and dashes, not a commune's name.
    ///   - label: A label for people.
    /// - Returns: The enrollment and its token (shown once, never stored).
    /// - Throws: ``SyncError`` for an invalid province name or an over-long label.
    public func enroll(relay province: String, label: String) throws -> (enrollment: Enrollment, token: String) {
        try Self.requireProvince(province)
        if try commune(province) != nil {
            throw SyncError(
                .invalidArgument,
                "'\(province)' is a commune; name the province differently, such as \(province)-province"
            )
        }
        return try insertEnrollment(kind: .relay, scope: province, label: label)
    }

    /// Refuses a province name that is not a short lowercase slug, or that is a commune's name
    /// (a relay's origins would then mix with that commune's).
    ///
    /// - Parameter province: The name.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument``.
    package static func requireProvince(_ province: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-")
        guard (2...64).contains(province.count), province.allSatisfy(allowed.contains),
            province.first != "-", province.last != "-"
        else {
            throw SyncError(
                .invalidArgument,
                "invalid province name '\(province.prefix(40))'; use 2 to 64 lowercase letters, digits and dashes, "
                    + "such as essaouira-province"
            )
        }
        guard !Territory.isSeed(province) else {
            throw SyncError(
                .invalidArgument,
                "'\(province)' is a commune; name the province differently, such as \(province)-province"
            )
        }
    }

    /// The origins bound to an enrollment's commune or province: what a relay's pulls carry,
    /// beside this hub's own origin.
    ///
    /// ```swift
    /// let province = try national.scopeOrigins(for: relay)
    /// ```
    ///
    /// - Parameter enrollment: The enrollment.
    /// - Returns: The origins, sorted.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func scopeOrigins(for enrollment: Enrollment) throws -> [ReplicaID] {
        try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT origin FROM sync_origin WHERE commune = ? ORDER BY origin",
                arguments: [enrollment.commune]
            ).map { ReplicaID(validated: $0) }
        }
    }
}
