public import Foundation
import GRDB
import Synchronization

/// A replica's database: the replicated tables, their merge metadata, the change log and the
/// replica's identity, in one SQLite file.
///
/// The data flow is one path: a local write ticks the clock, becomes a ``Change`` and is merged
/// into its row by the same code that merges remote changes; the row keeps each field's winning
/// write, the change log (`crdt_log`) records which record each write touched, and
/// ``changes(since:limit:)`` reads field values from the current rows when it builds a batch.
///
/// Rule 1: open one `ReplicaStore` per database file and process. Several processes may open the
/// same file (a daemon and a command); SQLite serializes their writes.
///
/// Rule 2: every public method is one transaction: it either happens whole or not at all.
///
/// ```swift
/// let store = try ReplicaStore(path: "essaouira.sqlite")
/// let id = try store.createProposal(ProposalDraft(title: "…", body: "…", commune: "essaouira"))
/// let batch = try store.changes(since: hubVector, limit: 500)
/// ```
public final class ReplicaStore: Sendable {
    /// The database file.
    public let path: String
    /// The replicated schema.
    public let schema: Schema
    /// This replica's identity.
    ///
    /// It changes only when the file is found to be a copy or a restored backup and takes a new
    /// one (``reidentify(because:)``, or another process doing so: every write transaction reads
    /// the identity from the file and adopts it).
    public var replicaID: ReplicaID { identity.withLock { $0.current } }
    /// The identity this file had before it was found to be a copy and re-identified, if so.
    public var previousReplicaID: ReplicaID? { identity.withLock { $0.previous } }
    /// The drift bound applied to remote timestamps, in milliseconds.
    public let maxDriftMillis: Int64

    let pool: DatabasePool
    /// The physical clock, Unix milliseconds (the one tests inject).
    public let wallClock: @Sendable () -> Int64
    /// The identity as this process last read it from the file.
    let identity: Mutex<Identity.Established>

    /// Opens (and creates or migrates) a replica database.
    ///
    /// A file whose recorded location (device and inode) differs from where it is now is a copy,
    /// such as a backup restored on a second laptop: it takes a new identity, so that the copy and
    /// the original never write changes under the same origin.
    ///
    /// - Parameters:
    ///   - path: The SQLite file; created when missing.
    ///   - schema: The replicated schema.
    ///   - durability: How commits reach the disk.
    ///   - pageSize: SQLite's page size for a new file, in bytes (a power of two from 512 to
    ///     65,536); `nil` for SQLite's default (4,096). A file that exists keeps its page size.
    ///     Larger pages suit a store that mostly applies large batches (the hub: see
    ///     ``hubPageSize``); small local writes are cheaper with the default.
    ///   - maxDriftMillis: How far ahead of this machine's clock a remote change may be stamped.
    ///   - wallClock: The physical clock in Unix milliseconds (tests inject one).
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage`` when the file cannot be opened, or
    ///   ``SyncError/Code/schemaMismatch`` when it was written by a newer schema version or
    ///   release (the file is left as it is).
    public init(
        path: String,
        schema: Schema = .participation,
        durability: Durability = .full,
        pageSize: Int? = nil,
        maxDriftMillis: Int64 = HybridLogicalClock.defaultMaxDriftMillis,
        wallClock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) throws {
        if let pageSize {
            precondition(
                (512...65_536).contains(pageSize) && pageSize & (pageSize - 1) == 0,
                "an SQLite page size is a power of two from 512 to 65536"
            )
        }
        self.path = path
        self.schema = schema
        self.maxDriftMillis = maxDriftMillis
        self.wallClock = wallClock
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // Takes effect only on a new, empty file, before the pool turns WAL on.
            if let pageSize { try db.execute(sql: "PRAGMA page_size = \(pageSize)") }
            try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue)")
            db.add(function: Self.foldFunction)
        }
        // Two processes creating the same new file at once (two `enroll` commands on a new hub)
        // race: one can find the file locked while the other turns WAL on (SQLite reports it at
        // once instead of waiting): opening is retried for up to five seconds, then fails with
        // the usual message. Migrations cannot race: they run in one `BEGIN IMMEDIATE`
        // transaction that reads which are applied (see `StoreMigrations`).
        if FileManager.default.fileExists(atPath: path) {
            try StoreMigrations.refuseNewerFile(at: path, schema: schema)
        }
        // The file keeps the replica's credential and the hashes of those it checks: create it
        // private (0600) before SQLite opens it; its -wal and -shm files take the same mode.
        try PrivateFile.createIfMissing(path)
        let started = ContinuousClock.now
        while true {
            do {
                let pool = try DatabasePool(path: path, configuration: configuration)
                // The pool sets `synchronous = NORMAL` on its writer when it turns WAL on, after
                // `prepareDatabase` ran: set the durability again once the pool is open. Commits go
                // through that one writer connection, so this decides whether they are synced.
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue)")
                }
                try StoreMigrations.migrate(pool, schema: schema, path: path)
                let location = try Self.fileLocation(path)
                let identity = try pool.write { db in
                    try Identity.establish(db, location: location, now: wallClock())
                }
                self.pool = pool
                self.identity = Mutex(identity)
                return
            } catch let error as SyncError {
                throw error
            } catch let error as DatabaseError
                where Self.isOpeningRace(error) && ContinuousClock.now - started < .seconds(5)
            {
                // Within the first seconds only: a file still locked after the 30 s busy wait is
                // held by a long writer, not by another process opening it.
                usleep(100_000)
            } catch {
                throw StorageFailure.error(error, path: path, action: .open)
            }
        }
    }

    /// Whether opening failed because another process was creating the same file.
    private static func isOpeningRace(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// The version vector of this replica: the highest contiguous sequence it holds per origin.
    ///
    /// - Returns: The vector, including this replica's own writes.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func vector() throws -> VersionVector {
        try read { db in try VectorTable.load(db) }
    }

    /// Runs a read transaction, wrapping database errors.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as SyncError {
            throw error
        } catch {
            throw StorageFailure.error(error, path: path, action: .read)
        }
    }

    /// Runs a write transaction, wrapping database errors; nothing of it stays if it throws.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as SyncError {
            throw error
        } catch {
            throw StorageFailure.error(error, path: path, action: .write)
        }
    }

    static func fileLocation(_ path: String) throws -> FileLocation {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SyncError(.storage, "cannot stat the replica database at \(path)")
        }
        return FileLocation(
            device: Int64(bitPattern: UInt64(info.st_dev)),
            inode: Int64(bitPattern: UInt64(info.st_ino))
        )
    }
}

extension ReplicaStore {
    /// How this store's commits actually reach the disk, read from the connection that writes.
    ///
    /// ```swift
    /// try store.effectiveDurability() == .full
    /// ```
    ///
    /// - Returns: The durability SQLite applies to commits (`.normal` for anything below FULL).
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func effectiveDurability() throws -> Durability {
        let level = try write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        return (level ?? 0) >= 2 ? .full : .normal
    }

    /// The page size a hub creates its SQLite file with: 32 KiB.
    ///
    /// A hub mostly applies and reads batches of hundreds or thousands of changes. With 1 KB
    /// records, larger pages mean fewer WAL frames, page reads and writes and B-tree levels per
    /// change, and a faster push into the hub. A replica keeps SQLite's 4 KiB: its writes are
    /// mostly single records, each of which writes its pages whole, so larger pages make a local
    /// write slower. Docs/PERFORMANCE.md (section 2) has the page sizes measured.
    public static let hubPageSize = 32_768

    /// The page size of the database file, in bytes.
    ///
    /// - Returns: SQLite's `page_size`.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func pageSize() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
    }
}

/// How a store's commits reach the disk.
public enum Durability: String, Sendable {
    /// Every commit is synced to the disk before it is acknowledged: a write survives a crash of
    /// the process and a power cut. The default.
    case full = "FULL"
    /// Commits survive a crash of the process but the last ones may be lost in a power cut
    /// (SQLite's WAL with `synchronous = NORMAL`). For simulations and bulk tools only.
    case normal = "NORMAL"
}

/// Where a database file lives: its device and inode.
///
/// A copy has another inode.
struct FileLocation: Hashable {
    var device: Int64
    var inode: Int64
}
