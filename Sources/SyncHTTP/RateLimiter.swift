import Synchronization

/// Where the requests of each credential are counted against its per-minute limit.
///
/// ``RateLimiter`` counts in this process. A hub whose processes share one database passes
/// buckets kept in it, so that a credential's limit holds whichever process answers.
package protocol CredentialLimiter: Sendable {
    /// Requests allowed per minute (and the largest burst).
    var limit: Int { get }

    /// Takes one request from a credential's bucket.
    ///
    /// - Parameter key: The credential (its enrollment id).
    /// - Returns: `nil` when the request is admitted, else how long to wait before the next one.
    /// - Throws: ``SyncError`` when shared buckets cannot be read.
    func admit(_ key: String) async throws -> Duration?
}

/// Counts requests per key (a credential, or a client address) with a token bucket: `limit` requests a minute, and bursts of
/// up to `limit` requests.
///
/// Time is passed in, so tests drive it; the hub passes a `ContinuousClock` reading. Buckets
/// that have refilled completely are dropped, so memory follows the credentials active in the
/// last minute.
package final class RateLimiter: CredentialLimiter {
    /// One credential's bucket.
    private struct Bucket {
        var tokens: Double
        var updated: Duration
    }

    /// Requests allowed per minute (and the largest burst).
    package let limit: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    /// Creates a limiter.
    ///
    /// - Parameter limit: Requests allowed per credential per minute, at least 1.
    package init(limit: Int) {
        precondition(limit >= 1, "a rate limit must allow at least one request a minute (got \(limit))")
        self.limit = limit
    }

    /// Takes one request from a credential's bucket.
    ///
    /// - Parameters:
    ///   - key: The credential (its enrollment id).
    ///   - now: The time, from any fixed origin.
    /// - Returns: `nil` when the request is admitted, else how long to wait before the next one.
    package func admit(_ key: String, now: Duration) -> Duration? {
        let capacity = Double(limit)
        let perSecond = capacity / 60
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, Self.seconds(now - bucket.updated)) * perSecond)
            bucket.updated = now
            if buckets.count > 10_000 { Self.dropFull(&buckets, capacity: capacity, now: now, perSecond: perSecond) }
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return .milliseconds(Int64(((1 - bucket.tokens) / perSecond * 1_000).rounded(.up)))
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return nil
        }
    }

    /// Takes one request from a credential's bucket, at the time of the process's monotonic clock.
    ///
    /// - Parameter key: The credential (its enrollment id).
    /// - Returns: `nil` when the request is admitted, else how long to wait before the next one.
    package func admit(_ key: String) async -> Duration? {
        admit(key, now: ContinuousClock.now - Self.origin)
    }

    /// The origin of ``admit(_:)``'s readings.
    private static let origin = ContinuousClock.now

    /// How long a key must wait before its next request, without taking one: `nil` when its
    /// bucket holds a request.
    ///
    /// - Parameters:
    ///   - key: The key (a credential's enrollment id, or a client address).
    ///   - now: The time, from the same origin as ``admit(_:now:)``'s.
    /// - Returns: `nil`, or the wait.
    package func wait(_ key: String, now: Duration) -> Duration? {
        let capacity = Double(limit)
        let perSecond = capacity / 60
        return buckets.withLock { buckets in
            guard let bucket = buckets[key] else { return nil }
            let tokens = min(capacity, bucket.tokens + max(0, Self.seconds(now - bucket.updated)) * perSecond)
            guard tokens < 1 else { return nil }
            return .milliseconds(Int64(((1 - tokens) / perSecond * 1_000).rounded(.up)))
        }
    }

    private static func dropFull(_ buckets: inout [String: Bucket], capacity: Double, now: Duration, perSecond: Double)
    {
        buckets = buckets.filter { _, bucket in
            bucket.tokens + seconds(now - bucket.updated) * perSecond < capacity
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
