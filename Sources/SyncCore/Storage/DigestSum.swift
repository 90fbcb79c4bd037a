import Crypto

/// The running digest of a replica's merged state: the sum, modulo 2^256, of one SHA-256 per
/// record.
///
/// Each record's hash covers its table name and its canonical JSON line (the object the export
/// writes for it). A sum does not depend on the order of the records, so it can be kept up to
/// date with every write (subtract the record's old hash, add its new one) and the digest costs
/// nothing to read: syncing a few changes into a large database does not rehash the database.
/// The sum detects divergence between honest replicas; it is not meant to resist a forger who
/// chooses records to collide (see Docs/SECURITY.md). Every store backend keeps one.
///
/// ```swift
/// var sum = DigestSum(stored: storedBytes)
/// sum.subtract(oldHash)
/// sum.add(record.hash(record: id))
/// let digest = sum.digest(schemaVersion: schema.version)
/// ```
public struct DigestSum: Hashable, Sendable {
    /// 32 bytes, big-endian.
    public private(set) var bytes: [UInt8]

    /// The sum of no record.
    public static let zero = DigestSum(bytes: Array(repeating: 0, count: 32))

    /// A sum from its 32 bytes.
    ///
    /// - Parameter bytes: 32 bytes, big-endian.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a digest sum has 32 bytes")
        self.bytes = bytes
    }

    /// Reads a stored sum; anything else than 32 bytes counts as zero (a fresh database).
    ///
    /// - Parameter stored: The stored bytes, if any.
    public init(stored: [UInt8]?) {
        self = stored.flatMap { $0.count == 32 ? DigestSum(bytes: $0) : nil } ?? .zero
    }

    /// Adds a record's hash.
    ///
    /// - Parameter hash: 32 bytes.
    public mutating func add(_ hash: [UInt8]) {
        var carry: UInt16 = 0
        for index in stride(from: 31, through: 0, by: -1) {
            let total = UInt16(bytes[index]) + UInt16(hash[index]) + carry
            bytes[index] = UInt8(truncatingIfNeeded: total)
            carry = total >> 8
        }
    }

    /// Subtracts a record's former hash.
    ///
    /// - Parameter hash: 32 bytes.
    public mutating func subtract(_ hash: [UInt8]) {
        var borrow: Int16 = 0
        for index in stride(from: 31, through: 0, by: -1) {
            var difference = Int16(bytes[index]) - Int16(hash[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            bytes[index] = UInt8(difference)
        }
    }

    /// The hash of one record: SHA-256 of its table name, a newline, and its canonical line.
    static func hash(table: String, line: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        var name = table
        name.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0x0A)) { hasher.update(bufferPointer: $0) }
        line.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Array(hasher.finalize())
    }

    /// The digest shown to people: SHA-256 of a label, the schema version and the sum, in hex.
    ///
    /// - Parameter schemaVersion: The store's schema version.
    /// - Returns: 64 hex characters.
    public func digest(schemaVersion: Int) -> String {
        var hasher = SHA256()
        hasher.update(data: Array("essaouira-state-v1 schema \(schemaVersion)\n".utf8))
        hasher.update(data: bytes)
        return hasher.finalize().map { byte in
            let hex = Array("0123456789abcdef".utf8)
            return String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined()
    }
}
