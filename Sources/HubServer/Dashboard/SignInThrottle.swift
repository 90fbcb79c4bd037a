import Synchronization

/// Limits sign-in guesses per account (the name in any case) and per client address, with
/// lockouts that grow after each further failure.
///
/// The first ``Policy/freeFailures`` failures of an account are free; each one after locks the
/// account for ``Policy/baseLockout`` doubled per further failure, up to ``Policy/maxLockout``.
/// An address gets more free failures (an office's clerks share one address). A sign-in while
/// locked is answered 429 with `Retry-After` and costs no password hash. A successful sign-in
/// clears the account's failures. Time is passed in, so tests drive it.
///
/// ```swift
/// let throttle = SignInThrottle()
/// if let wait = throttle.wait(account: "amina", address: "10.0.0.7", now: now) { … 429 … }
/// throttle.recordFailure(account: "amina", address: "10.0.0.7", now: now)
/// ```
final class SignInThrottle: Sendable {
    /// How many failures are free and how long lockouts last.
    struct Policy: Sendable, Hashable {
        /// Failures of one account before its first lockout.
        var freeFailures = 5
        /// Failures from one address before its first lockout.
        var freeAddressFailures = 20
        /// The first lockout.
        var baseLockout: Duration = .seconds(2)
        /// The longest lockout.
        var maxLockout: Duration = .seconds(900)
        /// Failures older than this are forgotten.
        var memory: Duration = .seconds(86_400)
    }

    private struct Record {
        var failures = 0
        var lockedUntil: Duration?
        var last: Duration?
    }

    private struct State {
        var accounts: [String: Record] = [:]
        var addresses: [String: Record] = [:]
    }

    /// The policy.
    let policy: Policy
    private let state = Mutex(State())

    /// Creates a throttle.
    ///
    /// - Parameter policy: How many failures are free and how long lockouts last.
    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// How long a sign-in of this account from this address must wait; `nil` when it may try now.
    ///
    /// - Parameters:
    ///   - account: The name typed (compared without case).
    ///   - address: The client's address.
    ///   - now: The time, from a fixed origin.
    /// - Returns: The remaining lockout, or `nil`.
    func wait(account: String, address: String, now: Duration) -> Duration? {
        state.withLock { state in
            let locks = [state.accounts[Self.key(account)], state.addresses[address]].compactMap { $0?.lockedUntil }
            guard let until = locks.max(), until > now else { return nil }
            return until - now
        }
    }

    /// Counts a failed sign-in against the account and the address.
    func recordFailure(account: String, address: String, now: Duration) {
        state.withLock { state in
            if state.accounts.count + state.addresses.count > 20_000 { forgetOld(&state, now: now) }
            Self.fail(&state.accounts[Self.key(account), default: Record()], free: policy.freeFailures, now, policy)
            Self.fail(&state.addresses[address, default: Record()], free: policy.freeAddressFailures, now, policy)
        }
    }

    /// Clears the account's failures after a successful sign-in.
    func recordSuccess(account: String) {
        _ = state.withLock { state in state.accounts.removeValue(forKey: Self.key(account)) }
    }

    private static func fail(_ record: inout Record, free: Int, _ now: Duration, _ policy: Policy) {
        if let last = record.last, now - last > policy.memory { record = Record() }
        record.failures += 1
        record.last = now
        let beyond = record.failures - free
        guard beyond > 0 else { return }
        let doublings = min(beyond - 1, 20)
        let lockout = min(policy.maxLockout, policy.baseLockout * (1 << doublings))
        record.lockedUntil = now + lockout
    }

    private func forgetOld(_ state: inout State, now: Duration) {
        let memory = policy.memory
        func keep(_ record: Record) -> Bool {
            (record.last.map { now - $0 <= memory } ?? false) || (record.lockedUntil.map { $0 > now } ?? false)
        }
        state.accounts = state.accounts.filter { keep($0.value) }
        state.addresses = state.addresses.filter { keep($0.value) }
    }

    private static func key(_ account: String) -> String {
        String(account.lowercased().prefix(64))
    }
}
