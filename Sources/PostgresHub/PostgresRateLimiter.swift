package import Logging
package import PostgresNIO
import SyncCore
import Synchronization

/// The credentials' token buckets in the hub's PostgreSQL database, shared by every
/// `hub-server` process on it: a credential gets `limit` requests a minute, and bursts of up to
/// `limit`, whichever process answers.
///
/// One statement takes a request: it refills the bucket for the time since its last request, by
/// the database's clock (the same for every process), and takes a token if one is there. The
/// row lock of `INSERT … ON CONFLICT DO UPDATE` orders concurrent requests for one credential,
/// so two processes never spend the same token. A bucket untouched for a minute is full again;
/// such rows are deleted, at most once a minute per process.
package final class PostgresRateLimiter: Sendable {
    /// Requests allowed per minute (and the largest burst).
    package let limit: Int
    /// The connection pool; its `run()` must be running.
    let client: PostgresClient
    /// Where queries log.
    let logger: Logger
    /// When this process last deleted full buckets.
    private let lastSweep = Mutex<ContinuousClock.Instant?>(nil)

    /// Creates a limiter over the hub's database (whose tables ``PostgresHubStore/open`` made).
    ///
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: Where queries log.
    ///   - limit: Requests allowed per credential per minute, at least 1.
    package init(client: PostgresClient, logger: Logger, limit: Int) {
        precondition(limit >= 1, "a rate limit must allow at least one request a minute (got \(limit))")
        self.client = client
        self.logger = logger
        self.limit = limit
    }

    /// Takes one request from a credential's bucket.
    ///
    /// - Parameter key: The credential (its enrollment id).
    /// - Returns: `nil` when the request is admitted, else how long to wait before the next one.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage`` when the database cannot be reached.
    package func admit(_ key: String) async throws -> Duration? {
        let capacity = Double(limit)
        let perSecond = capacity / 60
        try await sweepIfDue()
        var binds = PostgresBindings()
        binds.append(key)
        binds.append(capacity)
        binds.append(perSecond)
        // The bucket's tokens now: the ones it held, plus the refill since its last request
        // (`EXCLUDED.updated` is this statement's time), up to the capacity.
        let refill = "least($2, b.tokens + greatest(0, extract(epoch FROM EXCLUDED.updated - b.updated)::float8) * $3)"
        let query = PostgresQuery(
            unsafeSQL: """
                INSERT INTO hub_rate_bucket AS b (key, tokens, updated, admitted)
                VALUES ($1, $2 - 1, clock_timestamp(), true)
                ON CONFLICT (key) DO UPDATE SET
                    admitted = \(refill) >= 1,
                    tokens = \(refill) - CASE WHEN \(refill) >= 1 THEN 1 ELSE 0 END,
                    updated = greatest(b.updated, EXCLUDED.updated)
                RETURNING admitted, tokens
                """,
            binds: binds
        )
        let (admitted, tokens) = try await PostgresHubStore.wrapping("count a request against the rate limit") {
            let rows = try await client.query(query, logger: logger)
            for try await row in rows.decode((Bool, Double).self) { return row }
            return (true, capacity - 1)
        }
        guard !admitted else { return nil }
        return .milliseconds(Int64(((1 - tokens) / perSecond * 1_000).rounded(.up)))
    }

    /// Deletes the buckets untouched for a minute, which are full, when this process has not
    /// done so in the last minute.
    private func sweepIfDue() async throws {
        let now = ContinuousClock.now
        let due = lastSweep.withLock { last in
            guard last.map({ now - $0 >= .seconds(60) }) ?? true else { return false }
            last = now
            return true
        }
        guard due else { return }
        try await PostgresHubStore.wrapping("delete full rate-limit buckets") {
            try await client.query(
                "DELETE FROM hub_rate_bucket WHERE updated < clock_timestamp() - interval '60 seconds'",
                logger: logger
            )
        }
    }
}
