public import Foundation

/// Makes identifiers for records (proposals, comments, events) that need no coordination.
///
/// Identifiers are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds then random bits, in lowercase,
/// so that ids created on different replicas never collide and sort roughly by creation time.
///
/// ```swift
/// let id = RecordID.make()   // "01936f0e-…"
/// try RecordID.validate(id)
/// ```
public enum RecordID {
    /// Makes a new UUIDv7 string.
    ///
    /// - Parameter millis: The Unix time in milliseconds to embed; defaults to now.
    /// - Returns: A lowercase UUIDv7 string.
    public static func make(millis: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in 6..<16 { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        let time = UInt64(max(0, millis))
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: time >> (8 * (5 - UInt64(index)))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        let uuid = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            )
        )
        return uuid.uuidString.lowercased()
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
