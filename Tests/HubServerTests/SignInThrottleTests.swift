import Foundation
import Synchronization
import Testing

@testable import HubServer

/// Sign-in guesses are limited per account and per address, with growing lockouts; password
/// hashing runs a few at a time on threads of its own.
@Suite struct SignInThrottleTests {
    @Test func account_isLockedAfterFreeFailures_withDoublingWaits() {
        let throttle = SignInThrottle()
        var now = Duration.seconds(1_000)
        for _ in 0..<5 {
            #expect(throttle.wait(account: "amina", address: "10.0.0.1", now: now) == nil)
            throttle.recordFailure(account: "amina", address: "10.0.0.1", now: now)
        }
        // The sixth failure locks for 2 s, the seventh for 4 s, the eighth for 8 s.
        #expect(throttle.wait(account: "amina", address: "10.0.0.1", now: now) == nil)
        throttle.recordFailure(account: "amina", address: "10.0.0.1", now: now)
        #expect(throttle.wait(account: "AMINA", address: "10.0.0.9", now: now) == .seconds(2))
        now += .seconds(2)
        throttle.recordFailure(account: "Amina", address: "10.0.0.1", now: now)
        #expect(throttle.wait(account: "amina", address: "10.0.0.1", now: now) == .seconds(4))
        now += .seconds(4)
        throttle.recordFailure(account: "amina", address: "10.0.0.1", now: now)
        #expect(throttle.wait(account: "amina", address: "10.0.0.1", now: now) == .seconds(8))
        // Another account from another address is not held up.
        #expect(throttle.wait(account: "youssef", address: "10.0.0.2", now: now) == nil)
    }

    @Test func lockout_isCapped() {
        let throttle = SignInThrottle()
        let now = Duration.seconds(10)
        for _ in 0..<40 { throttle.recordFailure(account: "amina", address: "a", now: now) }
        #expect(throttle.wait(account: "amina", address: "b", now: now) == .seconds(900))
    }

    @Test func success_clearsTheAccountsFailures() {
        let throttle = SignInThrottle()
        let now = Duration.seconds(10)
        for _ in 0..<5 { throttle.recordFailure(account: "amina", address: "a", now: now) }
        throttle.recordSuccess(account: "AMINA")
        throttle.recordFailure(account: "amina", address: "b", now: now)
        #expect(throttle.wait(account: "amina", address: "b", now: now) == nil)
    }

    @Test func address_isLockedAfterMoreFailures_acrossAccounts() {
        let throttle = SignInThrottle()
        let now = Duration.seconds(10)
        for index in 0..<20 { throttle.recordFailure(account: "user\(index)", address: "10.0.0.7", now: now) }
        #expect(throttle.wait(account: "fresh", address: "10.0.0.7", now: now) == nil)
        throttle.recordFailure(account: "user20", address: "10.0.0.7", now: now)
        #expect(throttle.wait(account: "fresh", address: "10.0.0.7", now: now) == .seconds(2))
        #expect(throttle.wait(account: "fresh", address: "10.0.0.8", now: now) == nil)
    }

    @Test func hashingPool_neverRunsMoreThanItsLimit_andRefusesBeyondItsQueue() async throws {
        let pool = PasswordHashingPool(limit: 2, queueLimit: 3)
        let gate = Gate()
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    _ = try await pool.run { gate.pass() }
                    return true
                }
            }
            // Two run and three wait; a further request is refused at once.
            while pool.statistics.running < 2 || pool.statistics.queued < 3 || gate.waiting < 2 {
                await Task.yield()
            }
            await #expect(throws: PasswordHashingPool.Busy.self) { _ = try await pool.run { 0 } }
            gate.open()
            var finished = 0
            for try await ran in group where ran { finished += 1 }
            #expect(finished == 5)
        }
        let statistics = pool.statistics
        #expect(statistics.peak == 2)
        #expect(statistics.running == 0)
        #expect(statistics.completed == 5)
        #expect(statistics.refused == 1)
    }
}

/// Holds the threads that pass it until it is opened.
private final class Gate: @unchecked Sendable {
    private let state = Mutex((open: false, waiting: 0))
    private let condition = NSCondition()

    var waiting: Int { state.withLock { $0.waiting } }

    func pass() -> Int {
        state.withLock { $0.waiting += 1 }
        condition.lock()
        while !state.withLock({ $0.open }) { condition.wait() }
        condition.unlock()
        return 1
    }

    func open() {
        condition.lock()
        state.withLock { $0.open = true }
        condition.broadcast()
        condition.unlock()
    }
}
