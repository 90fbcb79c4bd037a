/// A direct JSON encoding of a batch, without Foundation's coders.
///
/// The bytes are the message a `JSONEncoder` with sorted keys writes for the same batch (the
/// `ChangeBatch` of Docs/PROTOCOL.md: the same members and values, keys sorted, text as UTF-8),
/// written in one pass into one buffer: a batch of 2,000 changes of about 1 KB each is the
/// largest message of an exchange, and Foundation's coders spent more on it than the database.
extension ChangeBatch {
    /// The batch as JSON, keys sorted, text written byte for byte.
    ///
    /// ``init(json:)`` reads it back; any JSON reader reads it as the `ChangeBatch` message of
    /// the protocol.
    ///
    /// ```swift
    /// let body = try hub.changes(since: vector, limit: 2_000).json()
    /// let batch = try ChangeBatch(json: body)
    /// ```
    ///
    /// - Returns: UTF-8 JSON bytes.
    public func json() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedJSONSize)
        out.append(contentsOf: #"{"changes":["#.utf8)
        for (index, change) in changes.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            change.writeJSON(into: &out)
        }
        out.append(contentsOf: #"],"covered":["#.utf8)
        for (index, range) in covered.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"after":"#.utf8)
            JSONNumber.write(range.after, into: &out)
            out.append(contentsOf: #","origin":"#.utf8)
            CanonicalJSON.writeString(range.origin.rawValue, into: &out)
            out.append(contentsOf: #","through":"#.utf8)
            JSONNumber.write(range.through, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"isComplete":"#.utf8)
        out.append(contentsOf: (isComplete ? "true" : "false").utf8)
        out.append(contentsOf: #","schemaVersion":"#.utf8)
        JSONNumber.write(Int64(schemaVersion), into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// A generous guess of the JSON size, so that the buffer grows at most once or twice.
    private var estimatedJSONSize: Int {
        var size = 64 + covered.count * 96
        for change in changes {
            size += 160 + change.record.utf8.count
            for (name, field) in change.fields {
                size += name.utf8.count + 16 + (field.context?.entries.count ?? 0) * 64
                if case .text(let text) = field.value { size += text.utf8.count + 8 }
            }
        }
        return size
    }
}

extension Change {
    func writeJSON(into out: inout [UInt8]) {
        out.append(contentsOf: #"{"fields":{"#.utf8)
        let names = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
            fields[name]!.writeJSON(into: &out)
        }
        out.append(contentsOf: #"},"hlc":"#.utf8)
        JSONNumber.write(timestamp.rawValue, into: &out)
        out.append(contentsOf: #","origin":"#.utf8)
        CanonicalJSON.writeString(origin.rawValue, into: &out)
        out.append(contentsOf: #","record":"#.utf8)
        CanonicalJSON.writeString(record, into: &out)
        out.append(contentsOf: #","schema":"#.utf8)
        JSONNumber.write(Int64(schemaVersion), into: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        JSONNumber.write(seq, into: &out)
        out.append(contentsOf: #","table":"#.utf8)
        CanonicalJSON.writeString(table, into: &out)
        out.append(UInt8(ascii: "}"))
    }
}

extension FieldChange {
    func writeJSON(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if let context {
            out.append(contentsOf: #""context":"#.utf8)
            context.writeJSON(into: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""value":"#.utf8)
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .integer(let number): JSONNumber.write(number, into: &out)
        case .text(let text): CanonicalJSON.writeString(text, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension VersionVector {
    func writeJSON(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        if entries.count == 1, let (origin, seq) = entries.first {
            CanonicalJSON.writeString(origin.rawValue, into: &out)
            out.append(UInt8(ascii: ":"))
            JSONNumber.write(seq, into: &out)
        } else {
            for (index, entry) in sortedEntries.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                CanonicalJSON.writeString(entry.origin.rawValue, into: &out)
                out.append(UInt8(ascii: ":"))
                JSONNumber.write(entry.seq, into: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
    }
}

/// Decimal integers written without building a `String`.
enum JSONNumber {
    static func write(_ value: UInt64, into out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: room for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[index]) }
        }
    }

    static func write(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        write(value.magnitude, into: &out)
    }
}
