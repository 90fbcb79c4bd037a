public import Foundation
import Synchronization

/// Makes identifiers for records (proposals, comments, events) that need no coordination.
///
/// Identifiers are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds then random bits, in lowercase,
/// so that ids created on different replicas never collide and sort roughly by creation time;
/// those one process makes within a millisecond increase (see ``make(millis:)``).
///
/// ```swift
/// let id = RecordID.make()   // "01936f0e-…"
/// try RecordID.validate(id)
/// ```
public enum RecordID {
    /// The ids of this process.
    private static let generator = Generator()

    /// Makes a new UUIDv7 string.
    ///
    /// Consecutive ids made in this process for the same millisecond increase (see
    /// ``Generator``), so that records created in a burst, such as an import, are stored and
    /// logged in id order: each index on their ids grows at its end instead of splitting pages
    /// in its middle.
    ///
    /// - Parameter millis: The Unix time in milliseconds to embed; defaults to now.
    /// - Returns: A lowercase UUIDv7 string.
    public static func make(millis: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) -> String {
        generator.make(millis: millis)
    }

    /// Makes UUIDv7 strings that increase within a millisecond.
    ///
    /// An id takes the random bits of the previous one plus a random step of at most 2^32
    /// (RFC 9562, section 6.2, method 2) when both are made for the same millisecond. Another
    /// millisecond (later, earlier, or another clock's) starts from fresh random bits, the
    /// leftmost one zero so that a burst does not run out of room; should it still, the id
    /// takes fresh bits.
    package final class Generator: Sendable {
        /// The last id's millisecond and its 74 random bits: 12 in `high` (`rand_a`), 62 in
        /// `low` (`rand_b`).
        private struct Last {
            var millis: Int64
            var high: UInt16
            var low: UInt64
        }

        private let last = Mutex(Last(millis: -1, high: 0, low: 0))

        /// A generator whose first id takes fresh random bits.
        package init() {}

        /// A generator that continues from an id made for `millis` with the random bits `high`
        /// (12 bits) and `low` (62 bits), for tests of a burst's end.
        package init(continuingFrom millis: Int64, high: UInt16, low: UInt64) {
            precondition(high < 1 << 12 && low < 1 << 62, "rand_a has 12 bits and rand_b 62")
            last.withLock { $0 = Last(millis: millis, high: high, low: low) }
        }

        /// The latest time an id can embed: 48 bits of milliseconds (the year 10889).
        package static let maxMillis: Int64 = (1 << 48) - 1

        /// Makes an id embedding `millis`, clamped to `0...maxMillis`.
        package func make(millis: Int64) -> String {
            let millis = min(max(0, millis), Self.maxMillis)
            let (high, low) = last.withLock { last -> (UInt16, UInt64) in
                var generator = SystemRandomNumberGenerator()
                if last.millis == millis {
                    var low = last.low + UInt64.random(in: 1...(1 << 32), using: &generator)
                    var high = last.high
                    if low >= 1 << 62 {
                        low -= 1 << 62
                        high += 1
                    }
                    if high < 1 << 12 {
                        last.high = high
                        last.low = low
                        return (high, low)
                    }
                }
                last = Last(
                    millis: millis,
                    high: UInt16.random(in: 0..<(1 << 11), using: &generator),
                    low: UInt64.random(in: 0..<(1 << 62), using: &generator)
                )
                return (last.high, last.low)
            }
            let time = UInt64(millis)
            var bytes = [UInt8](repeating: 0, count: 16)
            for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (8 * (5 - UInt64(index)))) }
            bytes[6] = 0x70 | UInt8(truncatingIfNeeded: high >> 8)
            bytes[7] = UInt8(truncatingIfNeeded: high)
            bytes[8] = 0x80 | UInt8(truncatingIfNeeded: low >> 56)
            for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: low >> (8 * (15 - UInt64(index)))) }
            let uuid = UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                )
            )
            return uuid.uuidString.lowercased()
        }
    }

    /// Checks that a string is a lowercase UUID, the form record ids take.
    ///
    /// - Parameters:
    ///   - id: The candidate id.
    ///   - what: What the id names, for the error message ("proposal", "comment").
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` when `id` is malformed.
    public static func validate(_ id: String, as what: String = "record") throws {
        guard id.utf8.count == 36, UUID(uuidString: id) != nil, id == id.lowercased() else {
            throw SyncError(
                .invalidArgument,
                "'\(id.prefix(40))' is not a valid \(what) id; expected a lowercase UUID such as those printed by 'create'"
            )
        }
    }
}
