/// A hybrid logical clock with a bounded drift.
///
/// The clock is a value: the caller passes the physical time in, so tests control it and merges
/// stay pure. ``tick(now:)`` stamps a local write; ``receive(_:now:)`` advances the clock past a
/// remote change, unless the change is stamped more than ``maxDrift`` ahead of the local wall
/// clock, in which case it is refused: one laptop whose clock says 2031 must not win every merge.
///
/// ```swift
/// var clock = HybridLogicalClock(last: .zero)
/// let t1 = clock.tick(now: 1_000)
/// try clock.receive(remote, now: 1_001)
/// let t2 = clock.tick(now: 1_001)   // t2 > remote, t2 > t1
/// ```
///
/// - SeeAlso: Kulkarni et al., "Logical Physical Clocks", OPODIS 2014.
public struct HybridLogicalClock: Hashable, Sendable {
    /// The default drift bound: five minutes.
    public static let defaultMaxDriftMillis: Int64 = 5 * 60 * 1000

    /// The latest timestamp this clock has issued or seen.
    public private(set) var last: HybridTimestamp
    /// How far ahead of the local wall clock a remote timestamp may be, in milliseconds.
    public var maxDriftMillis: Int64

    /// Creates a clock.
    ///
    /// - Parameters:
    ///   - last: The latest timestamp issued or seen so far (persisted by the store).
    ///   - maxDriftMillis: The drift bound.
    public init(last: HybridTimestamp, maxDriftMillis: Int64 = Self.defaultMaxDriftMillis) {
        self.last = last
        self.maxDriftMillis = maxDriftMillis
    }

    /// Issues a timestamp for a local write, later than every timestamp seen so far.
    ///
    /// If the physical clock went backwards, the counter keeps the order.
    ///
    /// - Parameter now: The physical time in Unix milliseconds.
    /// - Returns: The new timestamp.
    public mutating func tick(now: Int64) -> HybridTimestamp {
        let wall = max(now, last.wallMillis)
        if wall > last.wallMillis {
            last = HybridTimestamp(wallMillis: wall, counter: 0)
        } else if last.counter < HybridTimestamp.maxCounter {
            last = HybridTimestamp(wallMillis: wall, counter: last.counter + 1)
        } else {
            last = HybridTimestamp(wallMillis: wall + 1, counter: 0)
        }
        return last
    }

    /// Checks a remote timestamp against the drift bound without changing the clock.
    ///
    /// - Parameters:
    ///   - remote: The timestamp of a remote change.
    ///   - now: The physical time in Unix milliseconds.
    ///   - origin: The replica the change comes from, for the message.
    /// - Throws: ``SyncError`` with ``SyncError/Code/clockDrift`` when `remote` is too far ahead.
    public func check(_ remote: HybridTimestamp, now: Int64, origin: ReplicaID) throws {
        let ahead = remote.wallMillis - now
        guard ahead <= maxDriftMillis else {
            throw SyncError(
                .clockDrift,
                "a change from replica \(origin) is stamped \(Self.describe(millis: ahead)) ahead of this "
                    + "machine's clock (bound: \(Self.describe(millis: maxDriftMillis))); set the clock of "
                    + "replica \(origin) (or of this machine) to the correct time, then sync again"
            )
        }
    }

    /// Advances the clock past a remote timestamp.
    ///
    /// - Parameters:
    ///   - remote: The timestamp of a remote change.
    ///   - now: The physical time in Unix milliseconds.
    ///   - origin: The replica the change comes from, for the message.
    /// - Throws: ``SyncError`` with ``SyncError/Code/clockDrift`` when `remote` is too far ahead.
    public mutating func receive(_ remote: HybridTimestamp, now: Int64, origin: ReplicaID) throws {
        try check(remote, now: now, origin: origin)
        if remote > last { last = remote }
    }

    /// Writes a duration in the largest sensible unit, rounded ("3 years", "12 minutes").
    static func describe(millis: Int64) -> String {
        let seconds = millis / 1000
        let units: [(Int64, String)] = [(365 * 86_400, "year"), (86_400, "day"), (3_600, "hour"), (60, "minute")]
        // Rounded to the nearest unit: an offset measured over a slow exchange (the peer's time
        // against the midpoint of the request) reads 1 h 59 min 59 s for a clock 2 hours behind.
        for (size, name) in units where seconds >= size - size / 60 {
            let count = (seconds + size / 2) / size
            return "\(count) \(name)\(count == 1 ? "" : "s")"
        }
        return "\(seconds) second\(seconds == 1 ? "" : "s")"
    }
}
