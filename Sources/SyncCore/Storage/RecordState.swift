import Foundation

/// One record's merged state held in memory: the shown values, the merge metadata of each field
/// and the concurrent writes that lost, with the operations a storage backend needs.
///
/// ``ReplicaStore`` keeps this state in SQLite rows and `crdt_conflict`; a backend that keeps
/// records elsewhere (the hub's PostgreSQL store) loads a `RecordState`, merges changes into it
/// with the same rules (``FieldState``), and saves its encoded parts. The record's hash
/// (``hash(record:)``) is the one the running digest sums, so both backends show the same
/// digest for the same merged state.
///
/// ```swift
/// var state = try RecordState(table: table, values: values, meta: meta, others: others)
/// if state.merge(change) { save(state.encodedValues, state.encodedMeta, state.encodedOthers) }
/// ```
public struct RecordState: Hashable, Sendable {
    /// The record's table.
    public let table: ReplicatedTable
    /// The shown value of each column, by position.
    public private(set) var values: [FieldValue]
    var meta: RowMeta
    /// The writes of each column that lost to its winner and still count, by position.
    public private(set) var others: [Int: [FieldWrite]]

    /// An empty record: no field written yet.
    ///
    /// - Parameter table: The record's table.
    public init(table: ReplicatedTable) {
        self.table = table
        values = table.columns.map(\.defaultValue)
        meta = RowMeta(columnCount: table.columns.count)
        others = [:]
    }

    /// A record from its encoded parts, as ``encodedValues``, ``encodedMeta`` and
    /// ``encodedOthers`` wrote them.
    ///
    /// - Parameters:
    ///   - table: The record's table.
    ///   - values: The encoded values.
    ///   - meta: The encoded metadata.
    ///   - others: The encoded losing writes.
    /// - Throws: ``SyncError`` with ``SyncError/Code/storage`` when a part is damaged.
    public init(table: ReplicatedTable, values: [UInt8], meta: [UInt8], others: [UInt8]) throws {
        self.table = table
        do {
            var decoded = try JSONDecoder().decode([FieldValue].self, from: Data(values))
            // A record stored before a migration step added columns: they show their default.
            guard decoded.count <= table.columns.count else { throw MetaDecodingError() }
            decoded += table.columns[decoded.count...].map(\.defaultValue)
            self.values = decoded
            self.meta = try RowMeta(decoding: meta, columnCount: table.columns.count)
            self.others = try Self.decodeOthers(others, columnCount: table.columns.count)
        } catch {
            throw SyncError(.storage, "a stored \(table.name) record is damaged; restore the database from a backup")
        }
    }

    // MARK: - Encoding

    /// The values as a JSON array, one entry per column.
    public var encodedValues: [UInt8] {
        Array((try? JSONEncoder().encode(values)) ?? Data("[]".utf8))
    }

    /// The merge metadata in the compact form of the SQLite rows' `crdt_meta` column.
    public var encodedMeta: [UInt8] { meta.encoded() }

    /// The losing writes, as a JSON array of `{c, o, s, t, x, v}` objects.
    public var encodedOthers: [UInt8] {
        let entries = others.keys.sorted().flatMap { position in
            others[position]!.map { write in
                OtherWrite(
                    c: position,
                    o: write.dot.origin.rawValue,
                    s: write.dot.seq,
                    t: write.timestamp.rawValue,
                    x: write.context.map { Data($0.encodedBlob()).base64EncodedString() },
                    v: write.value
                )
            }
        }
        return Array((try? JSONEncoder().encode(entries)) ?? Data("[]".utf8))
    }

    private struct OtherWrite: Codable {
        var c: Int
        var o: String
        var s: UInt64
        var t: Int64
        var x: String?
        var v: FieldValue
    }

    private static func decodeOthers(_ bytes: [UInt8], columnCount: Int) throws -> [Int: [FieldWrite]] {
        var result: [Int: [FieldWrite]] = [:]
        for entry in try JSONDecoder().decode([OtherWrite].self, from: Data(bytes)) {
            guard entry.c >= 0, entry.c < columnCount else { throw MetaDecodingError() }
            let context = try entry.x.map { text -> VersionVector in
                guard let blob = Data(base64Encoded: text) else { throw MetaDecodingError() }
                return try VersionVector(decodingBlob: [UInt8](blob))
            }
            let write = FieldWrite(
                value: entry.v,
                dot: Dot(origin: try ReplicaID(parsing: entry.o), seq: entry.s),
                timestamp: HybridTimestamp(rawValue: entry.t),
                context: context
            )
            result[entry.c, default: []].append(write)
        }
        return result
    }

    // MARK: - Merge

    /// The merged state of one field: the winner, then the writes that lost.
    ///
    /// - Parameter position: The column's position.
    /// - Returns: The field's state.
    public func state(of position: Int) -> FieldState {
        let rule = table.columns[position].rule
        guard let meta = meta.fields[position] else { return FieldState(rule: rule) }
        let winner = FieldWrite(
            value: values[position],
            dot: meta.dot,
            timestamp: meta.timestamp,
            context: meta.context
        )
        return FieldState(rule: rule, merged: [winner] + (others[position] ?? []))
    }

    /// Merges a change in, field by field with each column's rule, as ``ReplicaStore/apply(_:)``
    /// does; a set tombstone erases the columns it erases.
    ///
    /// - Parameter change: A validated change of this record.
    /// - Returns: Whether any field changed.
    @discardableResult
    public mutating func merge(_ change: Change) -> Bool {
        var changed = false
        for (name, field) in change.fields {
            guard let position = table.position(of: name) else { continue }
            var state = state(of: position)
            let write = FieldWrite(
                value: field.value,
                dot: change.dot,
                timestamp: change.timestamp,
                context: state.rule.isCausal ? field.context : nil
            )
            guard state.merge(write), let winner = state.winner else { continue }
            values[position] = winner.value
            meta.fields[position] = FieldMeta(
                dot: winner.dot,
                timestamp: winner.timestamp,
                context: winner.context,
                extraCount: state.writes.count - 1
            )
            others[position] = state.writes.count > 1 ? Array(state.writes.dropFirst()) : nil
            changed = true
        }
        if changed { eraseIfTombstoned() }
        return changed
    }

    private mutating func eraseIfTombstoned() {
        guard let name = table.tombstoneColumn, let position = table.position(of: name),
            values[position].isTrue
        else { return }
        for (index, column) in table.columns.enumerated() where column.isErasedByTombstone {
            values[index] = .null
        }
    }

    // MARK: - Reading back

    /// The record's canonical object, as the export writes it.
    ///
    /// - Parameter record: The record's id.
    /// - Returns: The UTF-8 bytes of one JSON object.
    public func canonicalLine(record: String) -> [UInt8] {
        var line: [UInt8] = []
        CanonicalRow.write(table: table, record: record, values: values, conflicts: others, meta: meta, into: &line)
        return line
    }

    /// The record's hash, which the running digest sums.
    ///
    /// - Parameter record: The record's id.
    /// - Returns: 32 bytes.
    public func hash(record: String) -> [UInt8] {
        DigestSum.hash(table: table.name, line: canonicalLine(record: record))
    }

    /// The record's hashes at its table's latest version and at the earlier versions where it
    /// differs, which the running digests of each version sum (see ``DigestState``).
    ///
    /// - Parameter record: The record's id.
    /// - Returns: The hashes.
    package func hashes(record: String) -> RecordHashes {
        CanonicalRow.hashes(
            table: table,
            record: record,
            values: values,
            conflicts: others,
            meta: meta,
            line: canonicalLine(record: record)
        )
    }

    /// The change `dot` made to this record, rebuilt from what the record still holds of it, or
    /// `nil` when later writes superseded all of it.
    ///
    /// - Parameters:
    ///   - dot: The change's identity.
    ///   - record: The record's id.
    ///   - schemaVersion: The schema the change was written under.
    /// - Returns: The change, with only its fields that still count.
    public func change(made dot: Dot, record: String, schemaVersion: Int) -> Change? {
        var fields: [String: FieldChange] = [:]
        var timestamp: HybridTimestamp?
        for (position, meta) in meta.fields.enumerated() {
            guard let meta else { continue }
            if meta.dot == dot {
                fields[table.columns[position].name] = FieldChange(value: values[position], context: meta.context)
                timestamp = meta.timestamp
            }
            for write in others[position] ?? [] where write.dot == dot {
                fields[table.columns[position].name] = FieldChange(value: write.value, context: write.context)
                timestamp = write.timestamp
            }
        }
        guard let timestamp, !fields.isEmpty else { return nil }
        return Change(
            table: table.name,
            record: record,
            origin: dot.origin,
            seq: dot.seq,
            timestamp: timestamp,
            schemaVersion: schemaVersion,
            fields: fields
        )
    }
}
