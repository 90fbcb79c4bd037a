/// The rule of change-log collection, one for every store: which log entries of a record carry
/// nothing any more and may go (see ``ReplicaStore/collect(retention:after:limit:)``).
package enum LogCollection {
    /// One log entry of a record: the change's dot and its hybrid timestamp.
    package struct Entry: Hashable, Sendable {
        /// The change's origin and sequence number.
        package var dot: Dot
        /// Its hybrid timestamp, raw.
        package var hlc: Int64

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - dot: The change's origin and sequence number.
        ///   - hlc: Its hybrid timestamp, raw.
        package init(dot: Dot, hlc: Int64) {
            self.dot = dot
            self.hlc = hlc
        }
    }

    /// The raw hybrid timestamp before which superseded entries may go.
    ///
    /// - Parameters:
    ///   - retention: How old an entry must be to go (zero or more).
    ///   - now: The wall clock, Unix milliseconds.
    /// - Returns: The cutoff (0 when the retention reaches back before 1970).
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` for a negative retention.
    package static func cutoff(retention: Duration, now: Int64) throws -> Int64 {
        guard retention >= .zero else {
            throw SyncError(.invalidArgument, "the retention of the change log must not be negative")
        }
        let (seconds, attoseconds) = retention.components
        let retentionMillis =
            seconds > Int64.max / 4_000 ? Int64.max / 4 : seconds * 1_000 + attoseconds / 1_000_000_000_000_000
        let cutoffMillis = now - retentionMillis
        return cutoffMillis > 0 ? HybridTimestamp(wallMillis: cutoffMillis, counter: 0).rawValue : 0
    }

    /// The entries of one record that may go: stamped before `cutoff`, not the newest entry of
    /// their origin for the record (relays need it), and whose change no field of the record
    /// still shows, keeps as a concurrent value or keeps for a newer schema version.
    ///
    /// - Parameters:
    ///   - entries: Every log entry of the record.
    ///   - cutoff: The raw hybrid timestamp from ``cutoff(retention:now:)``.
    ///   - inUse: The dots the record still carries (read only when some entry is a candidate).
    /// - Returns: The dots of the entries to delete.
    /// - Throws: What `inUse` threw.
    package static func collectable(
        _ entries: [Entry],
        before cutoff: Int64,
        inUse: () throws -> Set<Dot>
    ) rethrows -> [Dot] {
        guard entries.count > 1 else { return [] }
        var newest: [ReplicaID: UInt64] = [:]
        for entry in entries { newest[entry.dot.origin] = max(newest[entry.dot.origin] ?? 0, entry.dot.seq) }
        let candidates = entries.filter { $0.hlc < cutoff && $0.dot.seq < newest[$0.dot.origin]! }
        guard !candidates.isEmpty else { return [] }
        let used = try inUse()
        return candidates.map(\.dot).filter { !used.contains($0) }
    }
}

extension RecordState {
    /// Every dot the record still carries: its fields' winners and their concurrent values.
    package var dots: Set<Dot> {
        meta.dots.union(others.values.flatMap { $0.map(\.dot) })
    }
}
