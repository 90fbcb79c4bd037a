/// The identity of one write: its origin replica and its sequence number there.
///
/// Sequence numbers start at 1 and grow by one with each record written at the origin, so a
/// version vector entry `origin → n` names the dots `(origin, 1)…(origin, n)`.
///
/// ```swift
/// let dot = Dot(origin: replica, seq: 7)
/// ```
public struct Dot: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The replica that made the write.
    public var origin: ReplicaID
    /// The write's sequence number at its origin, from 1.
    public var seq: UInt64

    /// Creates a dot.
    ///
    /// - Parameters:
    ///   - origin: The replica that made the write.
    ///   - seq: Its sequence number there.
    public init(origin: ReplicaID, seq: UInt64) {
        self.origin = origin
        self.seq = seq
    }

    /// Orders by origin, then sequence.
    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        lhs.origin != rhs.origin ? lhs.origin < rhs.origin : lhs.seq < rhs.seq
    }

    /// `origin:seq`.
    public var description: String { "\(origin):\(seq)" }
}
