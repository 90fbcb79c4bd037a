import Foundation
import GRDB

/// The replica's identity row (`crdt_self`) and the copy detection done at open.
enum Identity {
    struct Established: Sendable {
        var current: ReplicaID
        var previous: ReplicaID?
    }

    static func establish(_ db: Database, location: FileLocation, now: Int64) throws -> Established {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT replica, file_device, file_inode FROM crdt_self WHERE singleton = 1"
            )
        else {
            let id = ReplicaID()
            try db.execute(
                sql: """
                    INSERT INTO crdt_self(singleton, replica, seq, hlc, file_device, file_inode, created_at)
                    VALUES (1, ?, 0, 0, ?, ?, ?)
                    """,
                arguments: [id.rawValue, location.device, location.inode, now]
            )
            return Established(current: id, previous: nil)
        }
        let current = ReplicaID(validated: row["replica"])
        if row["file_device"] == location.device && row["file_inode"] == location.inode {
            return Established(current: current, previous: nil)
        }
        return Established(current: try reidentify(db, from: current, location: location, now: now), previous: current)
    }

    /// Gives this file a new identity: the old one stays an ordinary origin of its past writes.
    static func reidentify(
        _ db: Database,
        from old: ReplicaID,
        location: FileLocation,
        now: Int64,
        reason: String = "database file copied or moved"
    ) throws -> ReplicaID {
        let fresh = ReplicaID()
        try LocalState.fold(db)
        try db.execute(
            sql: "INSERT OR REPLACE INTO crdt_identity_history(replica, retired_at, reason) VALUES (?, ?, ?)",
            arguments: [old.rawValue, now, "\(reason): re-identified as \(fresh.rawValue)"]
        )
        try db.execute(sql: "INSERT INTO crdt_vector(origin, seq) SELECT replica, seq FROM crdt_self WHERE seq > 0")
        try db.execute(
            sql: "UPDATE crdt_self SET replica = ?, seq = 0, file_device = ?, file_inode = ? WHERE singleton = 1",
            arguments: [fresh.rawValue, location.device, location.inode]
        )
        return fresh
    }
}

/// The version vector: other origins in `crdt_vector`, this replica's own entry from ``LocalState``.
enum VectorTable {
    static func load(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT origin, seq FROM crdt_vector"))
        while let row = try rows.next() {
            vector[ReplicaID(validated: row[0])] = UInt64(row[1] as Int64)
        }
        let own = try LocalState.Stored.read(db)
        if own.seq > 0 { vector[own.replica] = own.seq }
        return vector
    }

    static func raise(_ db: Database, origin: ReplicaID, to seq: UInt64) throws {
        try db.cachedStatement(sql: "UPDATE crdt_self SET seq = max(seq, ?) WHERE replica = ?")
            .execute(arguments: [Int64(seq), origin.rawValue])
        if db.changesCount > 0 { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO crdt_vector(origin, seq) VALUES (?, ?)
                ON CONFLICT(origin) DO UPDATE SET seq = max(seq, excluded.seq)
                """
        ).execute(arguments: [origin.rawValue, Int64(seq)])
    }
}

/// This replica's sequence counter, clock and running digest sum, read once per transaction.
///
/// They live in two places, so that a local write dirties no page but its row's and its
/// change-log entry's: `crdt_self` holds them as of its last save (by an apply, a re-stamp or a
/// re-identification), and the change-log entry of the last local write of each transaction
/// holds them as of that write (its `seq` and `hlc`, and the sum in `crdt_log.digest_sum`). The
/// newer of the two is the state: the replica's last own log entry when its sequence number is
/// above the one `crdt_self` holds (only a local write makes such an entry: an apply that logs
/// one of this replica's own changes raises `crdt_self` in the same transaction). Reading is two
/// lookups: the row of `crdt_self` and the last own log entry, by the log's primary key.
struct LocalState {
    /// The identity the file holds now (another process may have changed it).
    var replica: ReplicaID
    var seq: UInt64
    var clock: HybridLogicalClock
    var sum: DigestState

    /// The stored state, before it becomes a clock.
    struct Stored {
        var replica: ReplicaID
        var seq: UInt64
        var hlc: Int64
        var sum: [UInt8]?

        static func read(_ db: Database) throws -> Stored {
            let saved = DirectStatement(
                try db.cachedStatement(sql: "SELECT replica, seq, hlc, digest_sum FROM crdt_self WHERE singleton = 1")
            )
            defer { saved.reset() }
            guard try saved.step(db) else {
                throw SyncError(.storage, "the replica's identity row is missing; restore the database from a backup")
            }
            let replica = saved.text(0)
            var stored = Stored(
                replica: ReplicaID(validated: replica),
                seq: UInt64(saved.integer(1)),
                hlc: saved.integer(2),
                sum: saved.blob(3)
            )
            let logged = DirectStatement(
                try db.cachedStatement(
                    sql: "SELECT seq, hlc, digest_sum FROM crdt_log WHERE origin = ? ORDER BY seq DESC LIMIT 1"
                )
            )
            defer { logged.reset() }
            logged.bind(1, replica)
            if try logged.step(db), UInt64(logged.integer(0)) > stored.seq {
                stored.seq = UInt64(logged.integer(0))
                stored.hlc = max(stored.hlc, logged.integer(1))
                if let sum = logged.blob(2) { stored.sum = sum }
            }
            return stored
        }
    }

    static func load(_ db: Database, maxDriftMillis: Int64) throws -> LocalState {
        let stored = try Stored.read(db)
        return LocalState(
            replica: stored.replica,
            seq: stored.seq,
            clock: HybridLogicalClock(last: HybridTimestamp(rawValue: stored.hlc), maxDriftMillis: maxDriftMillis),
            sum: DigestState(current: DigestSum(stored: stored.sum))
        )
    }

    /// Writes the state into `crdt_self` (an apply's, a re-stamp's), so that it no longer
    /// depends on the log's last entry.
    func save(_ db: Database) throws {
        let statement = DirectStatement(
            try db.cachedStatement(
                sql: "UPDATE crdt_self SET seq = max(seq, ?), hlc = max(hlc, ?), digest_sum = ? WHERE singleton = 1"
            )
        )
        statement.bind(1, Int64(seq))
        statement.bind(2, clock.last.rawValue)
        statement.bind(3, blob: sum.current.bytes)
        try statement.statement.execute()
        try DigestTable.add(sum.pastIncrements, db)
    }

    /// Moves the state into `crdt_self`, for code that reads or rewrites `crdt_self` directly.
    static func fold(_ db: Database) throws {
        try load(db, maxDriftMillis: .max).save(db)
    }
}
