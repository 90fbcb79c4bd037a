import Foundation
import GRDB

extension ReplicaStore {
    /// Re-stamps the writes this replica made while its clock was far ahead, once the clock is
    /// right again and no peer holds them yet; then puts the hybrid clock back.
    ///
    /// A laptop whose clock said 2031 stamps its writes in 2031, and its hybrid clock stays there
    /// after the clock is fixed, so every later write is stamped in 2031 too. Peers refuse such
    /// changes (the drift bound), and were they accepted, they would win every merge for years.
    /// When this machine's clock agrees with a peer's again (`peerTime`, from its hello), this
    /// method gives new timestamps to this replica's own writes that are stamped beyond the drift
    /// bound of `peerTime` and that no peer has acknowledged: sequence numbers above `acknowledged`
    /// and above every peer vector recorded by ``recordSync(peer:vector:digestMatched:)``. No
    /// other replica can hold them: they were never sent, or were refused.
    ///
    /// The new timestamps follow the latest timestamp this replica holds from any other write,
    /// in the original order: every comparison with a write held here keeps its outcome (no
    /// shown value changes here), while writes made elsewhere since then, by correct clocks, now
    /// win over them. The clock is then set back to the latest timestamp held.
    ///
    /// ```swift
    /// let hello = try await transport.hello(request)
    /// let fixed = try store.restampFutureWrites(acknowledged: hello.vector[store.replicaID], peerTime: hello.serverTime)
    /// ```
    ///
    /// - Parameters:
    ///   - acknowledged: The highest sequence number of this replica that the peer holds.
    ///   - peerTime: The peer's wall clock, Unix milliseconds.
    /// - Returns: How many writes were re-stamped (0 when this clock still disagrees with the
    ///   peer's, or nothing is stamped in the future).
    /// - Throws: ``SyncError`` when the database cannot be written; nothing changes then.
    @discardableResult
    public func restampFutureWrites(acknowledged: UInt64, peerTime: Int64) throws -> Int {
        guard abs(wallClock() - peerTime) <= maxDriftMillis, peerTime > 0 else { return 0 }
        let limit = HybridTimestamp(wallMillis: peerTime + maxDriftMillis, counter: HybridTimestamp.maxCounter)
        return try write { db in
            try LocalState.fold(db)
            let clock = try Int64.fetchOne(db, sql: "SELECT hlc FROM crdt_self WHERE singleton = 1") ?? 0
            guard clock > limit.rawValue else { return 0 }
            let floor = max(acknowledged, try Self.peerAcknowledged(db, origin: replicaID))
            let base =
                try Int64.fetchOne(
                    db,
                    sql: "SELECT max(hlc) FROM crdt_log WHERE NOT (origin = ? AND seq > ? AND hlc > ?)",
                    arguments: [replicaID.rawValue, Int64(floor), limit.rawValue]
                ) ?? 0
            guard base <= limit.rawValue else { return 0 }
            let entries = try Row.fetchAll(
                db,
                sql: "SELECT seq, tbl, row_id FROM crdt_log WHERE origin = ? AND seq > ? AND hlc > ? ORDER BY seq",
                arguments: [replicaID.rawValue, Int64(floor), limit.rawValue]
            )
            var fresh = HybridLogicalClock(last: HybridTimestamp(rawValue: base))
            for entry in entries {
                let dot = Dot(origin: replicaID, seq: UInt64(entry[0] as Int64))
                try restamp(db, dot: dot, table: entry[1], record: entry[2], to: fresh.tick(now: 0))
            }
            let held = try Int64.fetchOne(db, sql: "SELECT max(hlc) FROM crdt_log") ?? 0
            try db.execute(sql: "UPDATE crdt_self SET hlc = ? WHERE singleton = 1", arguments: [max(held, base)])
            return entries.count
        }
    }

    /// The highest sequence number of `origin` that any recorded peer holds.
    private static func peerAcknowledged(_ db: Database, origin: ReplicaID) throws -> UInt64 {
        var highest: UInt64 = 0
        for text in try String.fetchAll(db, sql: "SELECT vector FROM crdt_peer") {
            let vector = try? JSONDecoder().decode(VersionVector.self, from: Data(text.utf8))
            highest = max(highest, vector?[origin] ?? 0)
        }
        return highest
    }

    /// Gives one logged write a new timestamp, in the log, in its row and in its conflict records.
    private func restamp(_ db: Database, dot: Dot, table name: String, record: String, to stamp: HybridTimestamp) throws
    {
        try db.execute(
            sql: "UPDATE crdt_log SET hlc = ? WHERE origin = ? AND seq = ?",
            arguments: [stamp.rawValue, dot.origin.rawValue, Int64(dot.seq)]
        )
        try db.execute(
            sql: "UPDATE crdt_conflict SET hlc = ? WHERE tbl = ? AND row_id = ? AND origin = ? AND seq = ?",
            arguments: [stamp.rawValue, name, record, dot.origin.rawValue, Int64(dot.seq)]
        )
        guard let table = schema.table(named: name) else { return }
        let access = RowAccess(db: db, table: table)
        var row = try access.load(record)
        guard row.exists else { return }
        for position in row.meta.fields.indices where row.meta.fields[position]?.dot == dot {
            row.meta.fields[position]?.timestamp = stamp
        }
        for position in table.columns.indices where row.meta.fields[position] != nil {
            let stored = try access.state(of: position, in: row, record: record)
            let merged = FieldState(rule: stored.rule, writes: stored.writes)
            guard merged.winner?.dot == stored.winner?.dot else {
                throw SyncError(
                    .conflict,
                    "re-stamping \(name) \(record) would change the value it shows; nothing was re-stamped"
                )
            }
        }
        try access.save(record, &row)
    }
}
