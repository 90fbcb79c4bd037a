import Foundation
package import Logging
package import PostgresNIO
package import SyncCore

/// The hub's store in PostgreSQL: the replicated records, the change log, the version vector,
/// the running digest and the enrollment register, shared by several `hub-server` processes.
///
/// It implements ``SyncStore`` and ``EnrollmentRegistry`` with the merge code of SyncCore
/// (``RecordState``, ``FieldState``, ``DigestSum``), so its merged state and digest equal a
/// SQLite hub's for the same changes. Every batch is applied in one transaction that first
/// locks the single `hub_self` row (`SELECT … FOR UPDATE`): batches from all processes apply
/// one after another, each seeing the vector and records the previous one committed, so no
/// change is applied twice, none is lost and the vector never runs ahead of the data.
/// Docs/ARCHITECTURE.md explains the choice.
package final class PostgresHubStore: Sendable {
    /// The connection pool; its `run()` must be running.
    package let client: PostgresClient
    /// Where queries log.
    package let logger: Logger
    /// The hub's identity, created by the first process that opened the database.
    package let replicaID: ReplicaID
    /// The replicated schema.
    package let schema: Schema
    /// How far ahead of the hub's clock a change may be stamped.
    package let maxDriftMillis: Int64
    /// The wall clock, Unix milliseconds.
    package let wallClock: @Sendable () -> Int64

    private init(
        client: PostgresClient,
        logger: Logger,
        replicaID: ReplicaID,
        schema: Schema,
        wallClock: @escaping @Sendable () -> Int64
    ) {
        self.client = client
        self.logger = logger
        self.replicaID = replicaID
        self.schema = schema
        self.maxDriftMillis = HybridLogicalClock.defaultMaxDriftMillis
        self.wallClock = wallClock
    }

    /// Opens the hub's store, creating its tables and identity on first use.
    ///
    /// Several processes may open the same database at once: the creation runs in one
    /// transaction under a transaction-scoped advisory lock.
    ///
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: Where queries log.
    ///   - schema: The replicated schema.
    ///   - wallClock: The wall clock.
    /// - Returns: The store.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage`` when the database is unreachable.
    package static func open(
        client: PostgresClient,
        logger: Logger,
        schema: Schema = .participation,
        wallClock: @escaping @Sendable () -> Int64 = SyncClient.systemMillis
    ) async throws -> PostgresHubStore {
        let fresh = ReplicaID()
        let identity = try await wrapping("create the hub's tables") {
            try await firstConnection(client: client, logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.setupLockKey))", logger: logger)
                for statement in Self.setupSQL + Self.versionsSQL {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    """
                    INSERT INTO hub_self(singleton, replica, hlc, digest_sum) VALUES (1, \(fresh.rawValue), 0, \(ByteBuffer(bytes: DigestSum.zero.bytes)))
                    ON CONFLICT (singleton) DO NOTHING
                    """,
                    logger: logger
                )
                try await Self.migrateSchema(connection, schema: schema, logger: logger)
                let rows = try await connection.query(
                    "SELECT replica FROM hub_self WHERE singleton = 1",
                    logger: logger
                )
                for try await replica in rows.decode(String.self) { return replica }
                return fresh.rawValue
            }
        }
        let store = PostgresHubStore(
            client: client,
            logger: logger,
            replicaID: try ReplicaID(parsing: identity),
            schema: schema,
            wallClock: wallClock
        )
        try await store.mergeKnownKept()
        return store
    }

    /// How long opening waits for the server before giving up.
    package static let connectDeadline: Duration = .seconds(20)

    /// Runs the first transaction, failing after ``connectDeadline`` instead of waiting forever
    /// for a server that does not answer (the pool retries connections without end).
    private static func firstConnection(
        client: PostgresClient,
        logger: Logger,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> String
    ) async throws -> String {
        try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { try await client.withTransaction(logger: logger) { try await body($0) } }
            group.addTask {
                try await Task.sleep(for: connectDeadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let identity = first else {
                throw SyncError(
                    .storage,
                    "the hub's PostgreSQL server did not answer within \(connectDeadline); check the URL's host "
                        + "and port, and that the server is running"
                )
            }
            return identity
        }
    }

    /// The key of the advisory lock that serializes table creation.
    package static let setupLockKey: Int64 = 0x4553_5357_0001

    /// The tables, created when missing.
    ///
    /// Values and metadata are stored as SyncCore encodes them (``RecordState``); the log names
    /// which record each change touched.
    package static let setupSQL = [
        """
        CREATE TABLE IF NOT EXISTS hub_self (
            singleton integer PRIMARY KEY CHECK (singleton = 1),
            replica text NOT NULL,
            hlc bigint NOT NULL,
            digest_sum bytea NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS hub_record (
            tbl text NOT NULL, row_id text NOT NULL,
            vals bytea NOT NULL, meta bytea NOT NULL, others bytea NOT NULL, hash bytea NOT NULL,
            PRIMARY KEY (tbl, row_id))
        """,
        """
        CREATE TABLE IF NOT EXISTS hub_log (
            origin text NOT NULL, seq bigint NOT NULL, tbl text NOT NULL, row_id text NOT NULL,
            schema integer NOT NULL, hlc bigint NOT NULL,
            PRIMARY KEY (origin, seq))
        """,
        // Which origins wrote a record: a relay's pulls ask it.
        "CREATE INDEX IF NOT EXISTS hub_log_record ON hub_log (tbl, row_id)",
        "CREATE TABLE IF NOT EXISTS hub_vector (origin text PRIMARY KEY, seq bigint NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS hub_enrollment (
            id text PRIMARY KEY, commune text NOT NULL, label text NOT NULL, token_hash text NOT NULL,
            created_at bigint NOT NULL, revoked_at bigint, last_sync_at bigint, last_vector text,
            last_digest_match boolean, clock_offset_ms bigint)
        """,
        // A relay (a provincial hub enrolled at a national hub) or a commune's replica.
        "ALTER TABLE hub_enrollment ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'replica'",
        "ALTER TABLE hub_enrollment ADD COLUMN IF NOT EXISTS refusal_count integer NOT NULL DEFAULT 0",
        "ALTER TABLE hub_enrollment ADD COLUMN IF NOT EXISTS last_refusal_at bigint",
        "ALTER TABLE hub_enrollment ADD COLUMN IF NOT EXISTS last_refusal text",
        """
        CREATE TABLE IF NOT EXISTS hub_origin (
            origin text PRIMARY KEY, enrollment_id text NOT NULL REFERENCES hub_enrollment(id),
            commune text NOT NULL, bound_at bigint NOT NULL)
        """,
        // The last exchange with each peer this hub syncs with as a client (its national hub).
        """
        CREATE TABLE IF NOT EXISTS hub_peer (
            peer text PRIMARY KEY, vector text NOT NULL, last_sync_at bigint NOT NULL, last_digest_match boolean,
            replica text)
        """,
        // The credentials' request buckets, shared by the processes (``PostgresRateLimiter``):
        // not replicated, and a lost row only refills a bucket.
        """
        CREATE UNLOGGED TABLE IF NOT EXISTS hub_rate_bucket (
            key text PRIMARY KEY, tokens float8 NOT NULL, updated timestamptz NOT NULL, admitted boolean NOT NULL)
        """,
    ]

    /// Runs database work, turning a PostgreSQL or connection error into a ``SyncError``.
    @discardableResult
    package static func wrapping<Value>(
        _ what: String,
        _ body: () async throws -> sending Value
    ) async throws -> sending Value {
        do {
            return try await body()
        } catch let error as SyncError {
            throw error
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? SyncError { throw inner }
            let cause = error.closureError ?? error.commitError ?? error.beginError ?? error
            throw SyncError(
                .storage,
                "could not \(what) in the hub's PostgreSQL database (\(describe(cause))); nothing of it was "
                    + "applied; check that the server is running and retry",
                cause: error
            )
        } catch {
            throw SyncError(
                .storage,
                "could not \(what) in the hub's PostgreSQL database (\(describe(error))); check that the "
                    + "server is running and reachable and that the URL's user may use the database",
                cause: error
            )
        }
    }

    /// What went wrong, without SQL or arguments: the server's message, or the error's kind.
    private static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return String(message.prefix(200)) }
            return "\(error.code)"
        }
        return String(describing: type(of: error))
    }

    @discardableResult
    package func wrapping<Value>(_ what: String, _ body: () async throws -> sending Value) async throws -> sending Value
    {
        try await Self.wrapping(what, body)
    }
}
