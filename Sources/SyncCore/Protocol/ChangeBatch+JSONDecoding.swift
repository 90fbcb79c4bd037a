/// Reading a batch from JSON without Foundation's coders.
///
/// The rules are those of the `Decodable` conformances (the same required members, the same range
/// checks on sequence numbers and timestamps, unknown members ignored), so a body accepted or
/// refused by one is accepted or refused by the other.
extension ChangeBatch {
    /// Reads a batch from its JSON message.
    ///
    /// Refuses, with a `DecodingError` naming the member at fault, anything that is not the
    /// `ChangeBatch` message of Docs/PROTOCOL.md: invalid JSON or UTF-8, a missing member, a wrong
    /// type, a replica id that is not a UUID, a sequence number or covered bound not below 2^62
    /// in a vector or range, a negative timestamp. It checks the message's shape only: the store
    /// validates tables, fields and values when it applies the batch.
    ///
    /// ```swift
    /// let batch = try ChangeBatch(json: body)
    /// try store.apply(batch)
    /// ```
    ///
    /// - Parameter json: UTF-8 JSON bytes.
    /// - Throws: `DecodingError` when the bytes are not a valid batch.
    public init(json: some Collection<UInt8>) throws {
        let decoded = try json.withContiguousStorageIfAvailable { try Self.read($0) }
        self = try decoded ?? Array(json).withUnsafeBufferPointer { try Self.read($0) }
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws -> ChangeBatch {
        var reader = JSONReader(bytes)
        var origins = OriginCache()
        reader.skipWhitespace()
        var schemaVersion: Int?
        var changes: [Change]?
        var covered: [CoveredRange]?
        var isComplete: Bool?
        try reader.readObject { reader, key in
            switch key {
            case "schemaVersion": schemaVersion = try reader.readInt()
            case "isComplete": isComplete = try reader.readBool()
            case "changes":
                var list: [Change] = []
                try reader.readArray { reader in list.append(try Change.read(&reader, origins: &origins)) }
                changes = list
            case "covered":
                var list: [CoveredRange] = []
                try reader.readArray { reader in list.append(try CoveredRange.read(&reader, origins: &origins)) }
                covered = list
            default: try reader.skipValue()
            }
        }
        try reader.finish()
        guard let schemaVersion else { throw reader.missing("schemaVersion") }
        guard let changes else { throw reader.missing("changes") }
        guard let covered else { throw reader.missing("covered") }
        guard let isComplete else { throw reader.missing("isComplete") }
        return ChangeBatch(schemaVersion: schemaVersion, changes: changes, covered: covered, isComplete: isComplete)
    }
}

/// The replica ids of a batch, parsed once each: a batch names a handful of origins thousands of
/// times.
///
/// It also lets the contexts of one entry that follow each other share one vector.
struct OriginCache {
    private var known: [String: ReplicaID] = [:]
    /// The last origin read: a change and the contexts of its fields usually name the same one,
    /// and comparing the text costs less than hashing it.
    private var last: (text: String, origin: ReplicaID)?

    /// The last context of one entry read: the fields of a change usually carry the same one
    /// (the change's own dot), and they then share one vector.
    private var lastContext: (dot: Dot, vector: VersionVector)?

    /// A vector holding only `dot`, the one made for the last such context when it is the same.
    mutating func context(holdingOnly dot: Dot) -> VersionVector {
        if let lastContext, lastContext.dot == dot { return lastContext.vector }
        let vector = VersionVector([dot.origin: dot.seq])
        lastContext = (dot, vector)
        return vector
    }

    mutating func read(_ reader: inout JSONReader) throws -> ReplicaID {
        try parse(try reader.readString(), reader: reader)
    }

    mutating func parse(_ text: String, reader: borrowing JSONReader) throws -> ReplicaID {
        if let last, last.text == text { return last.origin }
        let origin: ReplicaID
        if let known = known[text] {
            origin = known
        } else {
            guard let parsed = try? ReplicaID(parsing: text) else { throw reader.corrupted("replica id is not a UUID") }
            origin = parsed
            if known.count < 1_024 { known[text] = origin }
        }
        last = (text, origin)
        return origin
    }
}

extension Change {
    fileprivate static func read(_ reader: inout JSONReader, origins: inout OriginCache) throws -> Change {
        var table: String?
        var record: String?
        var origin: ReplicaID?
        var seq: UInt64?
        var timestamp: HybridTimestamp?
        var schemaVersion: Int?
        var fields: [String: FieldChange]?
        try reader.readObject { reader, key in
            switch key {
            case "table": table = try reader.readString()
            case "record": record = try reader.readString()
            case "origin": origin = try origins.read(&reader)
            case "seq": seq = try reader.readUInt64()
            case "schema": schemaVersion = try reader.readInt()
            case "hlc":
                let raw = try reader.readInt64()
                guard raw >= 0 else { throw reader.corrupted("negative timestamp") }
                timestamp = HybridTimestamp(rawValue: raw)
            case "fields":
                var read: [String: FieldChange] = [:]
                try reader.readObject { reader, name in
                    read[name] = try FieldChange.read(&reader, origins: &origins)
                }
                fields = read
            default: try reader.skipValue()
            }
        }
        guard let table else { throw reader.missing("table") }
        guard let record else { throw reader.missing("record") }
        guard let origin else { throw reader.missing("origin") }
        guard let seq else { throw reader.missing("seq") }
        guard let timestamp else { throw reader.missing("hlc") }
        guard let schemaVersion else { throw reader.missing("schema") }
        guard let fields else { throw reader.missing("fields") }
        return Change(
            table: table,
            record: record,
            origin: origin,
            seq: seq,
            timestamp: timestamp,
            schemaVersion: schemaVersion,
            fields: fields
        )
    }
}

extension FieldChange {
    fileprivate static func read(_ reader: inout JSONReader, origins: inout OriginCache) throws -> FieldChange {
        var value = FieldValue.null
        var context: VersionVector?
        try reader.readObject { reader, key in
            switch key {
            case "value":
                if try reader.readNull() {
                    value = .null
                } else if reader.isString() {
                    value = .text(try reader.readString())
                } else if reader.isNumber(), let number = try? reader.readInt64() {
                    value = .integer(number)
                } else {
                    throw reader.corrupted("a field value must be null, an integer or a string")
                }
            case "context":
                if try !reader.readNull() { context = try VersionVector.read(&reader, origins: &origins) }
            default: try reader.skipValue()
            }
        }
        return FieldChange(value: value, context: context)
    }
}

extension VersionVector {
    fileprivate static func read(_ reader: inout JSONReader, origins: inout OriginCache) throws -> VersionVector {
        var first: Dot?
        var entries: [ReplicaID: UInt64]?
        try reader.readObject { reader, key in
            let seq = try reader.readUInt64()
            guard seq < Self.maxSequence else { throw reader.corrupted("version vector sequence is not below 2^62") }
            let origin = try origins.parse(key, reader: reader)
            if entries == nil, let held = first, held.origin != origin { entries = [held.origin: held.seq] }
            if entries != nil { entries![origin] = seq } else { first = Dot(origin: origin, seq: seq) }
        }
        if let entries { return VersionVector(entries) }
        guard let first else { return VersionVector() }
        return origins.context(holdingOnly: first)
    }
}

extension CoveredRange {
    fileprivate static func read(_ reader: inout JSONReader, origins: inout OriginCache) throws -> CoveredRange {
        var origin: ReplicaID?
        var after: UInt64?
        var through: UInt64?
        try reader.readObject { reader, key in
            switch key {
            case "origin": origin = try origins.read(&reader)
            case "after", "through":
                let bound = try reader.readUInt64()
                guard bound < VersionVector.maxSequence else {
                    throw reader.corrupted("a covered range bound is not below 2^62")
                }
                if key == "after" { after = bound } else { through = bound }
            default: try reader.skipValue()
            }
        }
        guard let origin else { throw reader.missing("origin") }
        guard let after else { throw reader.missing("after") }
        guard let through else { throw reader.missing("through") }
        return CoveredRange(origin: origin, after: after, through: through)
    }
}
