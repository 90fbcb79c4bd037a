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
                    INSERT INTO crdt_self(singleton, replica, hlc, file_device, file_inode, created_at)
                    VALUES (1, ?, 0, ?, ?, ?)
                    """,
                arguments: [id.rawValue, location.device, location.inode, now]
            )
            try db.execute(sql: "INSERT INTO crdt_vector(origin, seq) VALUES (?, 0)", arguments: [id.rawValue])
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
        try db.execute(
            sql: "UPDATE crdt_self SET replica = ?, file_device = ?, file_inode = ? WHERE singleton = 1",
            arguments: [fresh.rawValue, location.device, location.inode]
        )
        try db.execute(sql: "INSERT INTO crdt_vector(origin, seq) VALUES (?, 0)", arguments: [fresh.rawValue])
        return fresh
    }
}

/// The version vector table (`crdt_vector`).
enum VectorTable {
    static func load(_ db: Database) throws -> VersionVector {
        var vector = VersionVector()
        let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT origin, seq FROM crdt_vector"))
        while let row = try rows.next() {
            vector[ReplicaID(validated: row[0])] = UInt64(row[1] as Int64)
        }
        return vector
    }

    static func raise(_ db: Database, origin: ReplicaID, to seq: UInt64) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO crdt_vector(origin, seq) VALUES (?, ?)
                ON CONFLICT(origin) DO UPDATE SET seq = max(seq, excluded.seq)
                """
        ).execute(arguments: [origin.rawValue, Int64(seq)])
    }
}
