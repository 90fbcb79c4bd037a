import Synchronization

/// A wall clock that tests move by hand.
///
/// ```swift
/// let clock = ManualClock(start: 1_764_380_000_000)
/// let store = try ReplicaStore(path: p, wallClock: clock.read)
/// clock.advance(by: 1_000)
/// ```
public final class ManualClock: Sendable {
    private let millis: Mutex<Int64>

    /// Creates a clock at `start` Unix milliseconds.
    ///
    /// - Parameter start: The initial time.
    public init(start: Int64 = 1_764_380_000_000) {
        millis = Mutex(start)
    }

    /// The current time.
    public var now: Int64 { millis.withLock { $0 } }

    /// A closure reading the clock, to inject into a store.
    public var read: @Sendable () -> Int64 { { [self] in now } }

    /// Moves the clock (backwards too, to test a clock that jumps back).
    ///
    /// - Parameter delta: Milliseconds to add.
    public func advance(by delta: Int64) {
        millis.withLock { $0 += delta }
    }
}
