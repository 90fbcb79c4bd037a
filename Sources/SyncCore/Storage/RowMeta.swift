/// The merge metadata of one written field, stored with its row.
struct FieldMeta: Hashable, Sendable {
    /// The winning write's identity.
    var dot: Dot
    /// The winning write's timestamp.
    var timestamp: HybridTimestamp
    /// The winning write's causal context (causal rules only).
    var context: VersionVector?
    /// How many other writes of this field are kept in `crdt_conflict` (causal rules only).
    var extraCount: Int
}

/// The merge metadata of one row: a ``FieldMeta`` per written column, by column position.
///
/// Stored as a compact blob in the row's `crdt_meta` column: a table of the origins it names,
/// then one entry per written field. Keeping it in the row costs one write per record instead of
/// one per field.
struct RowMeta: Hashable, Sendable {
    var fields: [FieldMeta?]

    init(columnCount: Int) {
        fields = Array(repeating: nil, count: columnCount)
    }

    /// Every dot the row still carries as a winner.
    var dots: Set<Dot> { Set(fields.compactMap { $0?.dot }) }

    // MARK: - Encoding

    /// The fields written by one write (same dot, same timestamp), in position order.
    private struct Group {
        var dot: Dot
        var timestamp: HybridTimestamp
        var positions: [Int]
    }

    /// Encodes the metadata (format 2): a table of the origins it names, then the written
    /// fields grouped by the write that won them, each write's dot and timestamp once.
    ///
    /// A causal context that holds only the write's own dot (a field nobody else wrote) takes
    /// one byte. A new record written by one change needs about 50 bytes for ten fields, where
    /// format 1 (dot, timestamp and context per field) needed about 140.
    func encoded() -> [UInt8] {
        var groups: [Group] = []
        var order: [ReplicaID] = []
        func index(_ origin: ReplicaID) -> UInt64 {
            if let known = order.firstIndex(of: origin) { return UInt64(known) }
            order.append(origin)
            return UInt64(order.count - 1)
        }
        var contexts: [[(origin: ReplicaID, seq: UInt64)]?] = Array(repeating: nil, count: fields.count)
        for (position, meta) in fields.enumerated() {
            guard let meta else { continue }
            if let group = groups.firstIndex(where: { $0.dot == meta.dot && $0.timestamp == meta.timestamp }) {
                groups[group].positions.append(position)
            } else {
                groups.append(Group(dot: meta.dot, timestamp: meta.timestamp, positions: [position]))
                _ = index(meta.dot.origin)
            }
            if let context = meta.context, !Self.holdsOnly(meta.dot, context) {
                let entries = context.sortedEntries
                for entry in entries { _ = index(entry.origin) }
                contexts[position] = entries
            }
        }
        var out = ByteWriter(capacity: 8 + order.count * 16 + groups.count * 16 + fields.count * 4)
        out.varint(2)
        out.varint(UInt64(order.count))
        for origin in order { out.replicaID(origin) }
        out.varint(UInt64(groups.count))
        for group in groups {
            out.varint(index(group.dot.origin))
            out.varint(group.dot.seq)
            out.varint(UInt64(bitPattern: group.timestamp.rawValue))
            out.varint(UInt64(group.positions.count))
            for position in group.positions {
                let meta = fields[position]!
                out.varint(UInt64(position))
                out.varint(UInt64(meta.extraCount))
                // 0: no context; 1: only the write's own dot; n + 2: n entries follow.
                if meta.context == nil {
                    out.varint(0)
                } else if let entries = contexts[position] {
                    out.varint(UInt64(entries.count) + 2)
                    for entry in entries {
                        out.varint(index(entry.origin))
                        out.varint(entry.seq)
                    }
                } else {
                    out.varint(1)
                }
            }
        }
        return out.bytes
    }

    private static func holdsOnly(_ dot: Dot, _ context: VersionVector) -> Bool {
        context.entries.count == 1 && context[dot.origin] == dot.seq
    }

    /// Decodes metadata in format 2 (``encoded()``) or format 1 (rows written before it).
    init(decoding bytes: [UInt8], columnCount: Int) throws(MetaDecodingError) {
        var reader = ByteReader(bytes)
        let format = try reader.varint()
        guard format == 1 || format == 2 else { throw MetaDecodingError() }
        let originCount = Int(try reader.varint())
        guard originCount <= 4_096 else { throw MetaDecodingError() }
        var origins: [ReplicaID] = []
        origins.reserveCapacity(originCount)
        for _ in 0..<originCount { origins.append(ReplicaID(bytes: try reader.raw(count: 16))) }
        func origin(_ index: UInt64) throws(MetaDecodingError) -> ReplicaID {
            guard index < UInt64(origins.count) else { throw MetaDecodingError() }
            return origins[Int(index)]
        }
        func position() throws(MetaDecodingError) -> Int {
            let position = try reader.varint()
            guard position < UInt64(columnCount) else { throw MetaDecodingError() }
            return Int(position)
        }
        func vector(count: UInt64) throws(MetaDecodingError) -> VersionVector {
            guard count <= 4_096 else { throw MetaDecodingError() }
            var vector = VersionVector()
            for _ in 0..<count { vector[try origin(try reader.varint())] = try reader.varint() }
            return vector
        }
        self.init(columnCount: columnCount)
        let count = try reader.varint()
        guard count <= UInt64(columnCount) else { throw MetaDecodingError() }
        for _ in 0..<count {
            if format == 1 {
                let position = try position()
                let dot = Dot(origin: try origin(try reader.varint()), seq: try reader.varint())
                let timestamp = HybridTimestamp(rawValue: Int64(bitPattern: try reader.varint()))
                let extraCount = Int(try reader.varint())
                let contextCount = try reader.varint()
                let context = contextCount > 0 ? try vector(count: contextCount - 1) : nil
                fields[position] = FieldMeta(dot: dot, timestamp: timestamp, context: context, extraCount: extraCount)
                continue
            }
            let dot = Dot(origin: try origin(try reader.varint()), seq: try reader.varint())
            let timestamp = HybridTimestamp(rawValue: Int64(bitPattern: try reader.varint()))
            let fieldCount = try reader.varint()
            guard fieldCount <= UInt64(columnCount) else { throw MetaDecodingError() }
            // The fields of a group whose context is the write's own dot share one vector.
            var ownDot: VersionVector?
            for _ in 0..<fieldCount {
                let position = try position()
                let extraCount = Int(try reader.varint())
                let tag = try reader.varint()
                let context: VersionVector?
                switch tag {
                case 0: context = nil
                case 1:
                    if ownDot == nil { ownDot = VersionVector([dot.origin: dot.seq]) }
                    context = ownDot
                default: context = try vector(count: tag - 2)
                }
                fields[position] = FieldMeta(dot: dot, timestamp: timestamp, context: context, extraCount: extraCount)
            }
        }
        guard reader.isAtEnd else { throw MetaDecodingError() }
    }
}

extension VersionVector {
    /// The vector as a standalone blob (for conflict rows).
    func encodedBlob() -> [UInt8] {
        var writer = ByteWriter()
        let entries = sortedEntries
        writer.varint(UInt64(entries.count))
        for entry in entries {
            writer.raw(entry.origin.bytes)
            writer.varint(entry.seq)
        }
        return writer.bytes
    }

    init(decodingBlob bytes: [UInt8]) throws(MetaDecodingError) {
        var reader = ByteReader(bytes)
        let count = try reader.varint()
        guard count <= 4_096 else { throw MetaDecodingError() }
        self.init()
        for _ in 0..<count {
            let origin = ReplicaID(bytes: try reader.raw(count: 16))
            self[origin] = try reader.varint()
        }
        guard reader.isAtEnd else { throw MetaDecodingError() }
    }
}
