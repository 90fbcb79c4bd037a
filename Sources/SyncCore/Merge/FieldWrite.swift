/// One write of one field: its value, who wrote it and when, and what its writer had seen.
///
/// ```swift
/// let write = FieldWrite(
///     value: .text("Nouveau titre"),
///     dot: Dot(origin: essaouira, seq: 12),
///     timestamp: clock.tick(now: now),
///     context: seenOfThisField.merged(with: VersionVector([essaouira: 12]))
/// )
/// ```
public struct FieldWrite: Hashable, Sendable {
    /// The value written.
    public var value: FieldValue
    /// The write's identity.
    public var dot: Dot
    /// When it was written.
    public var timestamp: HybridTimestamp
    /// For causal rules, everything its writer had seen of the field, including this write's dot;
    /// `nil` for rules ordered by timestamp alone.
    public var context: VersionVector?

    /// Creates a write.
    ///
    /// - Parameters:
    ///   - value: The value written.
    ///   - dot: The write's identity.
    ///   - timestamp: When it was written.
    ///   - context: The causal context, for causal rules.
    public init(value: FieldValue, dot: Dot, timestamp: HybridTimestamp, context: VersionVector? = nil) {
        self.value = value
        self.dot = dot
        self.timestamp = timestamp
        self.context = context
    }

    /// Whether this write had seen `other` when it was made (`other` is in its causal past).
    ///
    /// - Parameter other: Another write of the same field.
    /// - Returns: `true` when this write's context contains the other's dot.
    public func hasSeen(_ other: FieldWrite) -> Bool {
        dot != other.dot && (context?.contains(other.dot) ?? false)
    }

    /// Whether this write comes later in timestamp order: timestamp, then origin, then sequence.
    ///
    /// This total order picks the winner among concurrent values; it never decides causality.
    ///
    /// - Parameter other: Another write.
    /// - Returns: `true` when `self` is later.
    public func isLater(than other: FieldWrite) -> Bool {
        if timestamp != other.timestamp { return timestamp > other.timestamp }
        if dot.origin != other.dot.origin { return dot.origin > other.dot.origin }
        return dot.seq > other.dot.seq
    }
}
