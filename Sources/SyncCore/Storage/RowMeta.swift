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

    func encoded() -> [UInt8] {
        // One pass to list the origins in first-seen order (the dot's, then its context's in
        // sorted order), one to write: the same bytes as writing the body first.
        var order: [ReplicaID] = []
        func index(_ origin: ReplicaID) -> UInt64 {
            if let known = order.firstIndex(of: origin) { return UInt64(known) }
            order.append(origin)
            return UInt64(order.count - 1)
        }
        var contexts: [[(origin: ReplicaID, seq: UInt64)]?] = []
        contexts.reserveCapacity(fields.count)
        var writtenCount = 0
        for meta in fields {
            guard let meta else {
                contexts.append(nil)
                continue
            }
            writtenCount += 1
            _ = index(meta.dot.origin)
            let context = meta.context.map { context -> [(origin: ReplicaID, seq: UInt64)] in
                if context.entries.count == 1, let (origin, seq) = context.entries.first { return [(origin, seq)] }
                return context.sortedEntries
            }
            for entry in context ?? [] { _ = index(entry.origin) }
            contexts.append(context)
        }
        var out = ByteWriter(capacity: 4 + order.count * 16 + writtenCount * 24)
        out.varint(1)
        out.varint(UInt64(order.count))
        for origin in order { out.replicaID(origin) }
        out.varint(UInt64(writtenCount))
        for (position, meta) in fields.enumerated() {
            guard let meta else { continue }
            out.varint(UInt64(position))
            out.varint(index(meta.dot.origin))
            out.varint(meta.dot.seq)
            out.varint(UInt64(meta.timestamp.rawValue))
            out.varint(UInt64(meta.extraCount))
            let context = contexts[position]
            out.varint(context.map { UInt64($0.count) + 1 } ?? 0)
            for entry in context ?? [] {
                out.varint(index(entry.origin))
                out.varint(entry.seq)
            }
        }
        return out.bytes
    }

    init(decoding bytes: [UInt8], columnCount: Int) throws(MetaDecodingError) {
        var reader = ByteReader(bytes)
        guard try reader.varint() == 1 else { throw MetaDecodingError() }
        let originCount = Int(try reader.varint())
        guard originCount <= 4_096 else { throw MetaDecodingError() }
        var origins: [ReplicaID] = []
        for _ in 0..<originCount { origins.append(ReplicaID(bytes: try reader.raw(count: 16))) }
        func origin(_ index: UInt64) throws(MetaDecodingError) -> ReplicaID {
            guard index < UInt64(origins.count) else { throw MetaDecodingError() }
            return origins[Int(index)]
        }
        self.init(columnCount: columnCount)
        let count = try reader.varint()
        for _ in 0..<count {
            let position = Int(try reader.varint())
            guard position < columnCount else { throw MetaDecodingError() }
            let dot = Dot(origin: try origin(try reader.varint()), seq: try reader.varint())
            let timestamp = HybridTimestamp(rawValue: Int64(bitPattern: try reader.varint()))
            let extraCount = Int(try reader.varint())
            let contextCount = try reader.varint()
            var context: VersionVector?
            if contextCount > 0 {
                var vector = VersionVector()
                for _ in 0..<(contextCount - 1) {
                    vector[try origin(try reader.varint())] = try reader.varint()
                }
                context = vector
            }
            fields[position] = FieldMeta(dot: dot, timestamp: timestamp, context: context, extraCount: extraCount)
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
