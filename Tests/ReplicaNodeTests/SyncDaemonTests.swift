import Logging
import SyncCore
import SyncHTTP
import Synchronization
import Testing

@testable import ReplicaNode

@Suite struct BackoffTests {
    private let backoff = Backoff(initial: .seconds(1), maximum: .seconds(60))

    @Test func delay_doublesWithEachFailure() {
        let delays = (1...5).map { backoff.delay(afterFailures: $0, jitter: 1) }
        #expect(delays == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16)])
    }

    @Test func delay_isCappedEvenAfterManyFailures() {
        #expect(backoff.delay(afterFailures: 7, jitter: 1) == .seconds(60))
        #expect(backoff.delay(afterFailures: 10_000, jitter: 1) == .seconds(60))
    }

    @Test(arguments: [0.0, 0.25, 0.5, 0.999])
    func delay_jitterStaysBetweenHalfAndAll(_ jitter: Double) {
        let delay = backoff.delay(afterFailures: 4, jitter: jitter)
        #expect(delay >= .seconds(4) && delay <= .seconds(8))
    }
}

@Suite struct SyncDaemonTests {
    enum Outcome {
        case success
        case failure
        case stop
    }

    /// Runs a daemon whose exchanges follow a script; the last step cancels it.
    private func run(_ script: [Outcome]) async throws -> (sleeps: [Duration], attempts: Int) {
        let clock = StepClock()
        let step = Mutex(0)
        let daemon = SyncDaemon(
            interval: .seconds(60),
            backoff: Backoff(initial: .seconds(10), maximum: .seconds(40)),
            clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            jitter: { 1 },
            exchange: {
                let outcome = step.withLock { index in
                    defer { index += 1 }
                    return script[min(index, script.count - 1)]
                }
                switch outcome {
                case .success: return try makeReport(pushed: 1)
                case .failure: throw SyncError(.transport, "the hub is unreachable")
                case .stop: throw CancellationError()
                }
            }
        )
        await #expect(throws: CancellationError.self) { try await daemon.loop() }
        return (clock.sleeps, step.withLock { $0 })
    }

    @Test func loop_backsOffWhileFailingAndResetsAfterSuccess() async throws {
        let result = try await run([.failure, .failure, .failure, .failure, .success, .failure, .stop])
        #expect(result.sleeps == [.seconds(10), .seconds(20), .seconds(40), .seconds(40), .seconds(60), .seconds(10)])
        #expect(result.attempts == 7)
    }

    @Test func loop_waitsTheIntervalBetweenSuccesses() async throws {
        let result = try await run([.success, .success, .stop])
        #expect(result.sleeps == [.seconds(60), .seconds(60)])
    }

    @Test func run_returnsCleanlyWhenCancelled() async throws {
        let daemon = SyncDaemon(
            interval: .seconds(1),
            backoff: Backoff(initial: .seconds(1), maximum: .seconds(1)),
            clock: StepClock(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { throw CancellationError() }
        try await daemon.run()
    }
}
