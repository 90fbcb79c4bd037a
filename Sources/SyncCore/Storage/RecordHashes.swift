/// The hashes of one record that the running digests sum: its hash at its table's latest
/// version, and its hash at each earlier schema version where the record differs.
///
/// A record differs at an earlier version when a column added since was written: a replica
/// still on that version holds the record without it (it keeps the newer field aside, see
/// Docs/UPGRADING.md). `nil` stands for a record that version does not hold at all (only
/// columns it lacks were written). Most records differ nowhere and carry the one hash.
///
/// Stored as the row's `crdt_hash` (SQLite) or `hash` (PostgreSQL): the 32 bytes of the latest
/// hash, then for each differing version its number and, unless absent, 32 bytes.
package struct RecordHashes: Hashable, Sendable {
    /// The hash at the table's latest version.
    package var current: [UInt8]
    /// The versions where the record differs, in increasing order, with its hash there.
    package var past: [(version: Int, hash: [UInt8]?)] = []

    /// A record that differs nowhere.
    ///
    /// - Parameter current: Its hash, 32 bytes.
    package init(current: [UInt8]) {
        self.current = current
    }

    /// Reads the stored form; a damaged tail reads as no earlier version.
    ///
    /// - Parameter encoded: The stored bytes (at least 32).
    package init?(encoded: [UInt8]) {
        guard encoded.count >= 32 else { return nil }
        current = Array(encoded[0..<32])
        var index = 32
        while index + 2 <= encoded.count {
            let version = Int(encoded[index])
            let present = encoded[index + 1] == 1
            index += 2
            if present {
                guard index + 32 <= encoded.count else { return nil }
                past.append((version, Array(encoded[index..<index + 32])))
                index += 32
            } else {
                past.append((version, nil))
            }
        }
    }

    /// The stored form.
    package var encoded: [UInt8] {
        guard !past.isEmpty else { return current }
        var bytes = current
        for (version, hash) in past {
            bytes.append(UInt8(version))
            bytes.append(hash == nil ? 0 : 1)
            if let hash { bytes += hash }
        }
        return bytes
    }

    /// What the record adds to the digest of a schema version: `nil` when that version does not
    /// hold it.
    ///
    /// - Parameters:
    ///   - version: A schema version.
    ///   - table: The record's table.
    /// - Returns: The hash summed at that version.
    func contribution(at version: Int, table: ReplicatedTable) -> [UInt8]? {
        if version < table.createdIn { return nil }
        if let entry = past.first(where: { $0.version == version }) { return entry.hash }
        return current
    }

    /// Whether the record differs at a version where its table exists.
    func differs(at version: Int) -> Bool { past.contains { $0.version == version } }

    package static func == (lhs: RecordHashes, rhs: RecordHashes) -> Bool {
        lhs.current == rhs.current && lhs.past.map(\.version) == rhs.past.map(\.version)
            && lhs.past.map(\.hash) == rhs.past.map(\.hash)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(current)
    }
}

/// The running digest sums of a store in one transaction: the sum at its latest version, and
/// what the records written in the transaction move the sums of earlier versions by.
///
/// The digest of an earlier version `v` is the sum of the records' hashes at `v`. It is kept as
/// its difference from the latest sum (`crdt_digest` in SQLite, `hub_digest` in PostgreSQL),
/// which only records that differ at `v` or tables that `v` lacks move, so a write of anything
/// else costs nothing more. A store answers a peer on an older version with the digest of that
/// version, and the peer's own digest is computed over what it holds: the two match exactly when
/// the peer holds everything it can (Docs/UPGRADING.md, "Digests across versions").
package struct DigestState: Hashable, Sendable {
    /// The sum at the store's latest version.
    package var current: DigestSum
    /// Per earlier version, what this transaction added to its difference from ``current``.
    package var pastIncrements: [Int: DigestSum] = [:]

    /// A state from the stored latest sum.
    ///
    /// - Parameter current: The latest sum.
    package init(current: DigestSum) {
        self.current = current
    }

    /// Moves the sums from a record's old hashes to its new ones.
    ///
    /// - Parameters:
    ///   - old: The record's hashes before (`nil` for a new record).
    ///   - new: Its hashes after.
    ///   - table: Its table.
    package mutating func move(from old: RecordHashes?, to new: RecordHashes, table: ReplicatedTable) {
        if let old { current.subtract(old.current) }
        current.add(new.current)
        guard let latest = table.addedIn.last, latest > 1 else { return }
        for version in 1..<latest {
            let exists = version >= table.createdIn
            if exists && !new.differs(at: version) && !(old?.differs(at: version) ?? false) { continue }
            var increment = pastIncrements[version] ?? .zero
            // (c_v(new) - new.current) - (c_v(old) - old.current)
            if let hash = new.contribution(at: version, table: table) { increment.add(hash) }
            increment.subtract(new.current)
            if let old {
                if let hash = old.contribution(at: version, table: table) { increment.subtract(hash) }
                increment.add(old.current)
            }
            pastIncrements[version] = increment
        }
    }
}
