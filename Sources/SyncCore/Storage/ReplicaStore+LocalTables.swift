package import GRDB

/// One migration of the tables a program keeps in a replica's file beside the replicated ones.
package struct LocalMigration: Sendable {
    /// Its name, unique among the program's local migrations.
    package var identifier: String
    /// What it runs.
    package var sql: String

    /// Creates a migration.
    ///
    /// - Parameters:
    ///   - identifier: Its name.
    ///   - sql: Its statements.
    package init(identifier: String, sql: String) {
        self.identifier = identifier
        self.sql = sql
    }
}

/// Tables that one program keeps in the replica's file (the hub's dashboard accounts), apart
/// from the engine's: never replicated, never in a change, a digest, a bundle or an export.
///
/// Their migrations are listed in `local_migrations`, not in the engine's list, so a file with
/// them opens under any release that knows its engine and schema migrations. The work runs
/// through GRDB's asynchronous API, which waits for the database without holding a thread of
/// the caller's executor (see ``readLocal(_:)`` for how a read gives its connection back).
extension ReplicaStore {
    /// Runs the local migrations this file lacks, in one transaction.
    ///
    /// - Parameter migrations: The program's migrations, in order.
    /// - Throws: ``SyncError`` when the database cannot be written.
    package func migrateLocalTables(_ migrations: [LocalMigration]) throws {
        try write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS local_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            let applied = try String.fetchSet(db, sql: "SELECT identifier FROM local_migrations")
            for migration in migrations where !applied.contains(migration.identifier) {
                try db.execute(sql: migration.sql)
                try db.execute(
                    sql: "INSERT INTO local_migrations(identifier) VALUES (?)",
                    arguments: [migration.identifier]
                )
            }
        }
    }

    /// Reads the local tables.
    ///
    /// The read runs on one of GRDB's reader queues, which it gives back as soon as `body` has
    /// returned. (GRDB's `async` read gives its reader back only once the caller's task runs
    /// again, on the cooperative pool: while synchronous reads of the same file wait for a
    /// reader on those threads, the task can never run, and every request of the server
    /// waits. Forty sign-ins at once did that.)
    ///
    /// - Parameter body: The reads, in one transaction.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, or ``SyncError`` when the database cannot be read.
    package func readLocal<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let path = path
        return try await withCheckedThrowingContinuation { continuation in
            pool.asyncRead { database in
                continuation.resume(
                    with: Result {
                        do {
                            return try body(try database.get())
                        } catch let error as SyncError {
                            throw error
                        } catch {
                            throw StorageFailure.error(error, path: path, action: .read)
                        }
                    }
                )
            }
        }
    }

    /// Writes the local tables; nothing of it stays if `body` throws.
    ///
    /// - Parameter body: The writes, in one transaction.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, or ``SyncError`` when the database cannot be written.
    package func writeLocal<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as SyncError {
            throw error
        } catch {
            throw StorageFailure.error(error, path: path, action: .write)
        }
    }

    /// The store's wall clock, Unix milliseconds (the one tests inject).
    package var localClockMillis: Int64 { wallClock() }
}
