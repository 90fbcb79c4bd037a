extension ReplicaID {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The 16 bytes of the UUID, for compact storage.
    var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(16)
        var high: UInt8?
        for char in rawValue.utf8 where char != UInt8(ascii: "-") {
            let nibble = char <= UInt8(ascii: "9") ? char - UInt8(ascii: "0") : char - UInt8(ascii: "a") + 10
            if let first = high {
                result.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return result
    }

    /// Rebuilds an identity from the 16 bytes of its UUID.
    init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 16, "a replica id has 16 bytes")
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        self.init(validated: String(decoding: text, as: UTF8.self))
    }
}
