/// Exponential backoff with jitter: how long to wait before the next attempt after failures.
///
/// The delay doubles with each consecutive failure, from `initial` up to `maximum`; half of it
/// is fixed and half is random ("equal jitter"), so that replicas cut off together by the same
/// outage do not all come back at the same instant, yet none retries much sooner than planned.
///
/// ```swift
/// let backoff = Backoff(initial: .seconds(1), maximum: .seconds(30))
/// backoff.delay(afterFailures: 3, jitter: 0.5)   // between 2 and 4 seconds: here 3
/// ```
package struct Backoff: Hashable, Sendable {
    /// The delay after the first failure (before jitter).
    package var initial: Duration
    /// The longest delay.
    package var maximum: Duration

    /// Creates a backoff.
    ///
    /// - Parameters:
    ///   - initial: The delay after the first failure.
    ///   - maximum: The longest delay.
    package init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The delay after `failures` consecutive failures (1 or more).
    ///
    /// - Parameters:
    ///   - failures: Consecutive failures so far.
    ///   - jitter: A random number in `0..<1`.
    /// - Returns: A delay between half and all of `min(maximum, initial × 2^(failures − 1))`.
    package func delay(afterFailures failures: Int, jitter: Double) -> Duration {
        let exponent = min(max(failures - 1, 0), 40)
        let full = min(maximum, initial * Double(UInt64(1) << UInt64(exponent)))
        let unit = min(max(jitter, 0), 1)
        return full / 2 + (full / 2) * unit
    }

    /// A random number in `0..<1` from the system's generator, for production jitter.
    package static let systemJitter: @Sendable () -> Double = { Double.random(in: 0..<1) }
}
