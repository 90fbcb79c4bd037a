import Foundation
import GRDB

/// The replica's identity row (`crdt_self`) and the copy detection done at open.
enum Identity {
    struct Established {
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
    private static func reidentify(
        _ db: Database,
        from old: ReplicaID,
        location: FileLocation,
        now: Int64
    ) throws -> ReplicaID {
        let fresh = ReplicaID()
        try db.execute(
            sql: "INSERT OR REPLACE INTO crdt_identity_history(replica, retired_at, reason) VALUES (?, ?, ?)",
            arguments: [old.rawValue, now, "database file copied or moved: re-identified as \(fresh.rawValue)"]
        )
        try db.execute(sql: "INSERT INTO crdt_vector(origin, seq) SELECT replica, seq FROM crdt_self WHERE seq > 0")
        try db.execute(
            sql: "UPDATE crdt_self SET replica = ?, seq = 0, file_device = ?, file_inode = ? WHERE singleton = 1",
            arguments: [fresh.rawValue, location.device, location.inode]
        )
        return fresh
    }
}

/// The version vector: other origins in `crdt_vector`, this replica's own entry in `crdt_self`.
enum VectorTable {
    static func load(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: "SELECT origin, seq FROM crdt_vector UNION ALL SELECT replica, seq FROM crdt_self WHERE seq > 0"
            )
        )
        while let row = try rows.next() {
            vector[ReplicaID(validated: row[0])] = UInt64(row[1] as Int64)
        }
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

/// This replica's sequence counter and clock (`crdt_self`), read and written once per transaction.
struct LocalState {
    var seq: UInt64
    var clock: HybridLogicalClock
    var sum: DigestSum

    static func load(_ db: Database, maxDriftMillis: Int64) throws -> LocalState {
        let statement = DirectStatement(
            try db.cachedStatement(sql: "SELECT seq, hlc, digest_sum FROM crdt_self WHERE singleton = 1")
        )
        defer { statement.reset() }
        let found = try statement.step(db)
        return LocalState(
            seq: found ? UInt64(statement.integer(0)) : 0,
            clock: HybridLogicalClock(
                last: HybridTimestamp(rawValue: found ? statement.integer(1) : 0),
                maxDriftMillis: maxDriftMillis
            ),
            sum: DigestSum(stored: found ? statement.blob(2) : nil)
        )
    }

    func save(_ db: Database) throws {
        let statement = DirectStatement(
            try db.cachedStatement(
                sql: "UPDATE crdt_self SET seq = max(seq, ?), hlc = max(hlc, ?), digest_sum = ? WHERE singleton = 1"
            )
        )
        statement.bind(1, Int64(seq))
        statement.bind(2, clock.last.rawValue)
        statement.bind(3, blob: sum.bytes)
        try statement.statement.execute()
    }
}
