/// A minimal binary writer: unsigned LEB128 varints and raw bytes.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init() {}

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func raw(_ more: some Sequence<UInt8>) { bytes.append(contentsOf: more) }

    /// Appends the 16 bytes of a replica id's UUID (``ReplicaID/bytes`` without the array).
    mutating func replicaID(_ id: ReplicaID) {
        var high: UInt8?
        for char in id.rawValue.utf8 where char != UInt8(ascii: "-") {
            let nibble = char <= UInt8(ascii: "9") ? char - UInt8(ascii: "0") : char - UInt8(ascii: "a") + 10
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
    }
}

/// The reader matching ``ByteWriter``; every read is bounds-checked.
struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func varint() throws(MetaDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw MetaDecodingError() }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func raw(count: Int) throws(MetaDecodingError) -> ArraySlice<UInt8> {
        guard count >= 0, offset + count <= bytes.count else { throw MetaDecodingError() }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}

/// Stored metadata could not be decoded: the database file is damaged.
struct MetaDecodingError: Error {}
