import Foundation
import Synchronization

/// Runs password hashing (scrypt: about a tenth of a second of CPU and 32 MiB each) on threads of
/// its own, a few at a time, so that sign-ins never hold the event loops or the cooperative
/// pool that answer the sync routes.
///
/// At most ``limit`` hashes run at once, each on a thread started for it; up to ``queueLimit``
/// more wait (without holding a thread). Beyond that, ``run(_:)`` refuses at once with
/// ``Busy``, which the sign-in page answers with 503 and `Retry-After`.
///
/// ```swift
/// let pool = PasswordHashingPool(limit: 2, queueLimit: 4)
/// let matches = try await pool.run { hasher.verify(password, against: hash) }
/// ```
final class PasswordHashingPool: Sendable {
    /// The refusal when every thread is busy and the queue is full.
    struct Busy: Error {}

    /// What the pool has seen, for `/metrics` and tests.
    struct Statistics: Sendable, Hashable {
        /// Hashes running now.
        var running = 0
        /// The most hashes that ever ran at once.
        var peak = 0
        /// Requests refused because the pool was full.
        var refused = 0
        /// Hashes completed.
        var completed = 0
        /// Hashes waiting for a thread.
        var queued = 0
    }

    private struct State {
        var statistics = Statistics()
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    /// The default number of hashes at once: 2.
    static let defaultLimit = 2
    /// The default number of hashes waiting: 4.
    static let defaultQueueLimit = 4

    /// Hashes that may run at once.
    let limit: Int
    /// Hashes that may wait for a thread.
    let queueLimit: Int
    /// Told the statistics after each change (for `/metrics`).
    let observer: (@Sendable (Statistics) -> Void)?
    private let state = Mutex(State())

    /// Creates a pool.
    ///
    /// - Parameters:
    ///   - limit: Hashes that may run at once, at least 1.
    ///   - queueLimit: Hashes that may wait, at least 0.
    ///   - observer: Told the statistics after each change.
    init(
        limit: Int = defaultLimit,
        queueLimit: Int = defaultQueueLimit,
        observer: (@Sendable (Statistics) -> Void)? = nil
    ) {
        precondition(
            limit >= 1 && queueLimit >= 0,
            "a hashing pool runs at least one hash (got \(limit), \(queueLimit))"
        )
        self.limit = limit
        self.queueLimit = queueLimit
        self.observer = observer
    }

    /// What the pool has seen so far.
    var statistics: Statistics { state.withLock { $0.statistics } }

    /// Runs CPU-heavy work on a thread of its own once a slot is free.
    ///
    /// - Parameter work: The work (a key derivation).
    /// - Returns: What the work returned.
    /// - Throws: ``Busy`` at once when ``limit`` hashes run and ``queueLimit`` wait.
    func run<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async throws -> Value {
        try await acquire()
        observer?(statistics)
        let value = await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.name = "password-hashing"
            thread.start()
        }
        release()
        observer?(statistics)
        return value
    }

    private enum Admission {
        case running
        case queued
        case refused
    }

    private func acquire() async throws {
        let admission = state.withLock { state -> Admission in
            if state.statistics.running < limit {
                state.statistics.running += 1
                state.statistics.peak = max(state.statistics.peak, state.statistics.running)
                return .running
            }
            guard state.statistics.queued < queueLimit else {
                state.statistics.refused += 1
                return .refused
            }
            state.statistics.queued += 1
            return .queued
        }
        switch admission {
        case .running:
            return
        case .refused:
            observer?(statistics)
            throw Busy()
        case .queued:
            await withCheckedContinuation { continuation in
                let runNow = state.withLock { state -> Bool in
                    // A slot may have been freed between the two locks.
                    if state.statistics.running < limit {
                        state.statistics.queued -= 1
                        state.statistics.running += 1
                        state.statistics.peak = max(state.statistics.peak, state.statistics.running)
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if runNow { continuation.resume() }
            }
        }
    }

    /// Frees a slot, handing it to the first waiter if any (the running count stays the same).
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.statistics.completed += 1
            guard !state.waiting.isEmpty else {
                state.statistics.running -= 1
                return nil
            }
            state.statistics.queued -= 1
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
