import Foundation
package import Logging
import ServiceLifecycle
package import SyncCore

/// Syncs periodically, forever: every `interval` while the hub answers, with exponential backoff
/// and jitter while it does not, back to the interval after the first success.
///
/// It is a `Service`: `run()` returns on graceful shutdown (SIGTERM or SIGINT through the
/// service group), interrupting a wait or an exchange in flight; an exchange cut short loses at
/// most its batch in flight, which the next one sends again. It keeps no history, so it can run
/// for months in constant memory. The clock is injected: tests step through the waits.
///
/// ```swift
/// let daemon = SyncDaemon(interval: .seconds(60), backoff: backoff, clock: ContinuousClock(), logger: logger) {
///     try await sync.run()
/// }
/// try await ServiceGroup(services: [daemon], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
/// ```
package struct SyncDaemon<C: Clock>: Service where C.Duration == Duration {
    /// The wait after a successful exchange.
    package let interval: Duration
    /// The waits after failed ones.
    package let backoff: Backoff
    /// The clock that paces the loop.
    package let clock: C
    /// Where each attempt is logged.
    package let logger: Logger
    /// Jitter in `0..<1`.
    package let jitter: @Sendable () -> Double
    /// A warning for the operator after a successful exchange (such as a wrong clock), if any.
    package let warning: @Sendable (SyncReport) -> String?
    /// The stable code and the message of a failed exchange, for the log.
    package let describe: @Sendable (any Error) -> (code: String, message: String)
    /// One exchange.
    package let exchange: @Sendable () async throws -> SyncReport

    /// Creates a daemon.
    ///
    /// - Parameters:
    ///   - interval: The wait after a successful exchange.
    ///   - backoff: The waits after failed ones.
    ///   - clock: The clock that paces the loop.
    ///   - logger: Where each attempt is logged.
    ///   - jitter: Jitter in `0..<1`.
    ///   - warning: A warning to log after a successful exchange, if any.
    ///   - describe: The code and message of a failure.
    ///   - exchange: One exchange.
    package init(
        interval: Duration,
        backoff: Backoff,
        clock: C,
        logger: Logger,
        jitter: @escaping @Sendable () -> Double = Backoff.systemJitter,
        warning: @escaping @Sendable (SyncReport) -> String? = { _ in nil },
        describe: @escaping @Sendable (any Error) -> (code: String, message: String) = SyncDaemon.describe,
        exchange: @escaping @Sendable () async throws -> SyncReport
    ) {
        self.interval = interval
        self.backoff = backoff
        self.clock = clock
        self.logger = logger
        self.jitter = jitter
        self.warning = warning
        self.describe = describe
        self.exchange = exchange
    }

    package func run() async throws {
        logger.info("sync daemon started", metadata: ["interval": "\(interval)"])
        do {
            try await cancelWhenGracefulShutdown { try await self.loop() }
        } catch is CancellationError {
            // Graceful shutdown: the wait or the exchange in flight was interrupted.
        }
        logger.info("sync daemon stopped")
    }

    /// Attempts exchanges until the task is cancelled.
    package func loop() async throws {
        var attempt = 0
        var failures = 0
        while true {
            try Task.checkCancellation()
            attempt &+= 1
            guard let delay = await attemptOnce(attempt, failures: &failures) else { throw CancellationError() }
            logger.debug("next sync attempt", metadata: ["in": "\(delay)"])
            try await clock.sleep(for: delay)
        }
    }

    /// Runs one exchange, logs it, and returns the wait before the next, or `nil` when the task
    /// was cancelled.
    package func attemptOnce(_ attempt: Int, failures: inout Int) async -> Duration? {
        do {
            let report = try await exchange()
            failures = 0
            logger.info(
                "sync succeeded",
                metadata: [
                    "attempt": "\(attempt)", "pushed": "\(report.pushed)", "pulled": "\(report.pulled)",
                    "digests": "\(report.isFiltered ? "filtered" : report.digestsMatch ? "match" : "differ")",
                ]
            )
            if let warning = warning(report) {
                logger.warning("\(warning)")
            }
            return interval
        } catch {
            if error is CancellationError || Task.isCancelled { return nil }
            failures += 1
            let delay = backoff.delay(afterFailures: failures, jitter: jitter())
            let failure = describe(error)
            logger.error(
                "sync failed: \(failure.message)",
                metadata: [
                    "attempt": "\(attempt)", "code": "\(failure.code)", "failures": "\(failures)",
                    "retry_in": "\(delay.seconds.formatted(.number.precision(.fractionLength(1)))) s",
                ]
            )
            return delay
        }
    }

    /// The code and message of a ``SyncError``; any other error by its description.
    ///
    /// - Parameter error: A failed exchange's error.
    /// - Returns: Its stable code and its message.
    package static func describe(_ error: any Error) -> (code: String, message: String) {
        guard let error = error as? SyncError else {
            return ("internal", "unexpected failure (\(String(describing: error).prefix(300)))")
        }
        return (error.code.description, error.message)
    }
}
