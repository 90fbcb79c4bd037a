/// What a replica has seen: for each origin replica, the highest sequence number it holds.
///
/// A version vector serves twice. At the level of the store it says which changes a replica has
/// (origin → highest contiguous sequence), so an exchange sends only what the other side lacks.
/// At the level of one field it is the causal context of a write: everything its writer had seen
/// of that field, transitively. A value is dominated by a write whose context contains the value's
/// ``Dot``, even when the writes in between were superseded and never delivered.
///
/// Unlike a vector clock, a version vector is not ticked on every event, only on writes.
///
/// ```swift
/// var vv = VersionVector()
/// vv.advance(Dot(origin: a, seq: 3))
/// vv.contains(Dot(origin: a, seq: 2))   // true
/// vv.compare(to: other)                 // .happenedBefore, .happenedAfter, .same or .concurrent
/// ```
///
/// - SeeAlso: Almeida, Shoker, Baquero, "Delta state replicated data types", 2018.
public struct VersionVector: Hashable, Sendable {
    /// Highest sequence per origin; origins at zero are absent.
    public private(set) var entries: [ReplicaID: UInt64]

    /// Creates an empty vector.
    public init() { entries = [:] }

    /// Creates a vector from its entries; zero entries are dropped.
    ///
    /// - Parameter entries: Origin → highest sequence.
    public init(_ entries: [ReplicaID: UInt64]) {
        self.entries = entries.filter { $0.value > 0 }
    }

    /// The highest sequence seen from `origin`, or zero.
    ///
    /// - Parameter origin: A replica.
    public subscript(origin: ReplicaID) -> UInt64 {
        get { entries[origin] ?? 0 }
        set { entries[origin] = newValue == 0 ? nil : newValue }
    }

    /// Whether the vector has no entry.
    public var isEmpty: Bool { entries.isEmpty }

    /// Whether the vector includes a write.
    ///
    /// - Parameter dot: The write's identity.
    /// - Returns: `true` when the vector has seen `dot`.
    public func contains(_ dot: Dot) -> Bool {
        self[dot.origin] >= dot.seq
    }

    /// Raises the entry of the dot's origin to at least the dot's sequence.
    ///
    /// - Parameter dot: A write now seen.
    public mutating func advance(_ dot: Dot) {
        if self[dot.origin] < dot.seq { self[dot.origin] = dot.seq }
    }

    /// Joins another vector into this one (entry-wise maximum).
    ///
    /// - Parameter other: The vector to join.
    public mutating func merge(_ other: VersionVector) {
        for (origin, seq) in other.entries where self[origin] < seq {
            self[origin] = seq
        }
    }

    /// The join of this vector and another (entry-wise maximum).
    ///
    /// - Parameter other: The vector to join.
    /// - Returns: The entry-wise maximum.
    public func merged(with other: VersionVector) -> VersionVector {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// How two vectors relate causally.
    public enum CausalRelation: Hashable, Sendable {
        /// This vector is strictly smaller: the other has seen all of it and more.
        case happenedBefore
        /// This vector is strictly larger.
        case happenedAfter
        /// Both are equal.
        case same
        /// Each has seen something the other has not.
        case concurrent
    }

    /// Compares two vectors.
    ///
    /// - Parameter other: The vector to compare with.
    /// - Returns: The causal relation of `self` to `other`.
    public func compare(to other: VersionVector) -> CausalRelation {
        var smaller = false
        var larger = false
        for origin in Set(entries.keys).union(other.entries.keys) {
            let mine = self[origin]
            let theirs = other[origin]
            if mine < theirs { smaller = true }
            if mine > theirs { larger = true }
        }
        switch (smaller, larger) {
        case (false, false): return .same
        case (true, false): return .happenedBefore
        case (false, true): return .happenedAfter
        case (true, true): return .concurrent
        }
    }

    /// The entries sorted by origin, for deterministic output.
    public var sortedEntries: [(origin: ReplicaID, seq: UInt64)] {
        entries.sorted { $0.key < $1.key }.map { (origin: $0.key, seq: $0.value) }
    }
}

extension VersionVector: Codable {
    /// The bound that every sequence number read from the network or a file stays below: 2^62.
    ///
    /// Stores keep sequence numbers as signed 64-bit SQLite integers, so a decoder refuses
    /// larger ones (in vectors, covered ranges and changes) before they reach storage.
    ///
    /// ```swift
    /// precondition(seq < VersionVector.maxSequence)
    /// ```
    public static let maxSequence: UInt64 = 1 << 62

    /// Decodes a JSON object `{"<replica id>": seq, …}`.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: A decoding error for a malformed id, or a sequence that is negative or not below
    ///   ``maxSequence``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode([String: UInt64].self)
        var entries: [ReplicaID: UInt64] = [:]
        for (key, seq) in raw {
            guard seq < Self.maxSequence else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "version vector sequence is not below 2^62"
                )
            }
            guard let origin = try? ReplicaID(parsing: key) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "version vector key is not a replica id"
                )
            }
            entries[origin] = seq
        }
        self.init(entries)
    }

    /// Encodes as a JSON object `{"<replica id>": seq, …}`.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: An encoding error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: entries.map { ($0.key.rawValue, $0.value) }))
    }
}
