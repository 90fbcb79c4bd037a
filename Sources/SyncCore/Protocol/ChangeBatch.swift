/// A bounded batch of changes, and the range of the version vector it covers.
///
/// Changes that a later write superseded are never sent, so sequence numbers in a batch have gaps.
/// ``covered`` states, for each origin, the range `after < seq <= through` that the batch
/// accounts for completely: the receiver, once it has applied the batch, may move its vector entry
/// from `after` to `through`, in the same transaction. A batch lost on the way costs only itself:
/// the next exchange starts from the receiver's vector.
///
/// ```swift
/// let batch = try hub.changes(since: try laptop.vector(), limit: 500)
/// try laptop.apply(batch)
/// if batch.isComplete { /* laptop has everything the hub had */ }
/// ```
public struct ChangeBatch: Hashable, Sendable, Codable {
    /// The sender's schema version.
    public var schemaVersion: Int
    /// The changes, ordered by origin and sequence.
    public var changes: [Change]
    /// The vector ranges the batch accounts for.
    public var covered: [CoveredRange]
    /// Whether the sender had nothing more to send after this batch.
    public var isComplete: Bool

    /// Creates a batch.
    ///
    /// - Parameters:
    ///   - schemaVersion: The sender's schema version.
    ///   - changes: The changes.
    ///   - covered: The vector ranges the batch accounts for.
    ///   - isComplete: Whether the sender had nothing more to send.
    public init(schemaVersion: Int, changes: [Change], covered: [CoveredRange], isComplete: Bool) {
        self.schemaVersion = schemaVersion
        self.changes = changes
        self.covered = covered
        self.isComplete = isComplete
    }
}

/// A range of one origin's sequence numbers that a batch accounts for: `after < seq <= through`.
public struct CoveredRange: Hashable, Sendable, Codable {
    /// The origin replica.
    public var origin: ReplicaID
    /// The receiver's entry the range starts from.
    public var after: UInt64
    /// The last sequence the range accounts for.
    public var through: UInt64

    /// Creates a range.
    ///
    /// - Parameters:
    ///   - origin: The origin replica.
    ///   - after: The entry the range starts from.
    ///   - through: The last sequence accounted for.
    public init(origin: ReplicaID, after: UInt64, through: UInt64) {
        self.origin = origin
        self.after = after
        self.through = through
    }
}

extension CoveredRange {
    /// Decodes a range, refusing bounds that are not below ``VersionVector/maxSequence``.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: A decoding error for a missing field, a wrong type or an out-of-range bound.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let origin = try container.decode(ReplicaID.self, forKey: .origin)
        let after = try container.decode(UInt64.self, forKey: .after)
        let through = try container.decode(UInt64.self, forKey: .through)
        for (key, value) in [(CodingKeys.after, after), (.through, through)] where value >= VersionVector.maxSequence {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription: "a covered range bound is not below 2^62"
            )
        }
        self.init(origin: origin, after: after, through: through)
    }

    enum CodingKeys: String, CodingKey { case origin, after, through }
}

extension VersionVector {
    /// The vector a receiver holding this one holds once it has applied `batch`: each covered
    /// range that starts at or below this vector's entry moves the entry up to the range's end,
    /// as ``ReplicaStore/apply(_:)`` does in the transaction that applies the batch.
    ///
    /// A sender uses it to cut the next batch before the receiver has answered, and a receiver to
    /// ask for the next batch while it applies this one.
    ///
    /// ```swift
    /// let next = try store.changes(since: hubVector.advanced(by: batch), limit: 500)
    /// ```
    ///
    /// - Parameter batch: A batch this vector's holder applies.
    /// - Returns: This vector with the batch's covered ranges joined in.
    public func advanced(by batch: ChangeBatch) -> VersionVector {
        var vector = self
        for range in batch.covered where vector[range.origin] >= range.after && range.through > vector[range.origin] {
            vector[range.origin] = range.through
        }
        return vector
    }

    /// Whether this vector holds at least every entry of `other`.
    ///
    /// - Parameter other: Another vector.
    /// - Returns: `true` when no entry of `other` is above this vector's.
    public func includes(_ other: VersionVector) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }
}
