/// A hybrid logical timestamp: wall-clock milliseconds plus a logical counter.
///
/// Timestamps order writes. They are packed into one 64-bit integer (48 bits of milliseconds,
/// 16 bits of counter) so that SQLite can compare them directly; the origin replica breaks ties
/// (see ``Stamp``).
///
/// ```swift
/// let t = HybridTimestamp(wallMillis: 1_764_380_000_000, counter: 2)
/// t.rawValue == (1_764_380_000_000 << 16) | 2
/// ```
public struct HybridTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The packed value: milliseconds in the high 48 bits, counter in the low 16.
    public let rawValue: Int64

    /// The largest counter value; one more carries into the milliseconds.
    public static let maxCounter = 0xFFFF

    /// The zero timestamp, earlier than any write.
    public static let zero = HybridTimestamp(rawValue: 0)

    /// Creates a timestamp from its packed value.
    ///
    /// - Parameter rawValue: Milliseconds shifted left by 16, plus the counter.
    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    /// Creates a timestamp from its parts.
    ///
    /// - Parameters:
    ///   - wallMillis: Unix time in milliseconds (at most 48 bits).
    ///   - counter: The logical counter, `0...0xFFFF`.
    public init(wallMillis: Int64, counter: Int) {
        precondition(wallMillis >= 0 && wallMillis < (1 << 47), "wall time \(wallMillis) out of range")
        precondition((0...Self.maxCounter).contains(counter), "counter \(counter) out of range")
        rawValue = (wallMillis << 16) | Int64(counter)
    }

    /// Unix time in milliseconds.
    public var wallMillis: Int64 { rawValue >> 16 }

    /// The logical counter within one millisecond.
    public var counter: Int { Int(rawValue & 0xFFFF) }

    /// Orders by milliseconds, then counter.
    public static func < (lhs: HybridTimestamp, rhs: HybridTimestamp) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `millis.counter`, for logs.
    public var description: String { "\(wallMillis).\(counter)" }
}

extension HybridTimestamp: Codable {
    /// Decodes the packed integer.
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: A decoding error for a negative value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(Int64.self)
        guard raw >= 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "negative timestamp")
        }
        self.init(rawValue: raw)
    }

    /// Encodes the packed integer.
    ///
    /// - Parameter encoder: The encoder.
    /// - Throws: An encoding error.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
