import Foundation
import SyncCore
import Testing

/// The stored merge metadata of a record (``RecordState/encodedMeta``, the rows' `crdt_meta`):
/// format 2 reads back to the same state whatever the record went through, rows written in
/// format 1 still read, and damaged metadata is refused.
@Suite struct MergeMetadataFormatTests {
    let table = Schema.participation.table(named: "proposal")!
    let laptop = try! ReplicaID(parsing: "0193a000-0000-7000-8000-00000000000a")
    let office = try! ReplicaID(parsing: "0193a000-0000-7000-8000-00000000000b")
    let record = "0193a000-0000-7000-8000-000000000001"

    private func change(
        _ origin: ReplicaID,
        _ seq: UInt64,
        millis: Int64,
        _ fields: [String: FieldChange]
    ) -> Change {
        Change(
            table: "proposal",
            record: record,
            origin: origin,
            seq: seq,
            timestamp: HybridTimestamp(wallMillis: millis, counter: Int(seq)),
            schemaVersion: 1,
            fields: fields
        )
    }

    /// A new proposal written by one change, as an import or a form creates it.
    private var created: Change {
        let own = VersionVector([laptop: 1])
        return change(
            laptop,
            1,
            millis: 1_764_380_000_000,
            [
                "title": FieldChange(value: .text("ساحة مولاي الحسن"), context: own),
                "body": FieldChange(value: .text("Des bancs et de l'éclairage"), context: own),
                "category": FieldChange(value: .text("urbanisme"), context: own),
                "status": FieldChange(value: .text("submitted"), context: own),
                "commune": FieldChange(value: .text("tamanar")),
                "created_at": FieldChange(value: .integer(1_764_380_000_000)),
            ]
        )
    }

    private func reread(_ state: RecordState) throws -> RecordState {
        try RecordState(
            table: table,
            values: state.encodedValues,
            meta: state.encodedMeta,
            others: state.encodedOthers
        )
    }

    @Test func newRecord_readsBack_inFormat2_inAboutFiftyBytes() throws {
        var state = RecordState(table: table)
        let changed = state.merge(created)
        #expect(changed)
        #expect(try reread(state) == state)
        let meta = state.encodedMeta
        #expect(meta.first == 2)
        // Format 1 repeated the dot, the timestamp and the context for each field: more than
        // twice this (`format1Metadata_stillReads` builds it and compares).
        #expect(meta.count < 50, "\(meta.count) bytes")
    }

    @Test func concurrentEditsContextsAndFlags_readBack() throws {
        var state = RecordState(table: table)
        state.merge(created)
        // The office edits the title without having seen the laptop's write: two values kept.
        state.merge(
            change(
                office,
                1,
                millis: 1_764_380_100_000,
                ["title": FieldChange(value: .text("Place Moulay Hassan"), context: VersionVector([office: 1]))]
            )
        )
        // The laptop answers having seen both, and withdraws nothing yet (a flag with no context).
        state.merge(
            change(
                laptop,
                2,
                millis: 1_764_380_200_000,
                [
                    "body": FieldChange(value: .text("نص جديد"), context: VersionVector([laptop: 2, office: 1])),
                    "withdrawn": FieldChange(value: .integer(0)),
                ]
            )
        )
        #expect(state.state(of: table.position(of: "title")!).writes.count == 2)
        let again = try reread(state)
        #expect(again == state)
        // Merging the same changes again into the state read back changes nothing.
        var merged = again
        let changedAgain = merged.merge(created)
        #expect(!changedAgain)
        #expect(merged == state)
    }

    @Test func format1Metadata_stillReads() throws {
        var state = RecordState(table: table)
        state.merge(created)
        // Format 1, as rows written before format 2 hold it: the origin table, then per written
        // field its position, origin index, sequence, timestamp, extra count and context.
        var bytes: [UInt8] = []
        func varint(_ value: UInt64) {
            var rest = value
            while rest >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }
        varint(1)
        varint(1)
        bytes += laptop.rawValue.replacingOccurrences(of: "-", with: "").hexBytes
        let written = ["title", "body", "category", "status", "commune", "created_at"]
        varint(UInt64(written.count))
        for name in written.sorted(by: { table.position(of: $0)! < table.position(of: $1)! }) {
            varint(UInt64(table.position(of: name)!))
            varint(0)
            varint(1)
            varint(UInt64(created.timestamp.rawValue))
            varint(0)
            if created.fields[name]!.context == nil {
                varint(0)
            } else {
                varint(2)
                varint(0)
                varint(1)
            }
        }
        let old = try RecordState(table: table, values: state.encodedValues, meta: bytes, others: state.encodedOthers)
        #expect(old == state)
        #expect(state.encodedMeta.count * 2 < bytes.count, "\(state.encodedMeta.count) against \(bytes.count) bytes")
    }

    @Test func damagedMetadata_isRefusedAsStorageDamage() throws {
        var state = RecordState(table: table)
        state.merge(created)
        let meta = state.encodedMeta
        let damaged: [[UInt8]] = [
            Array(meta.dropLast()),
            meta + [0],
            [3] + meta.dropFirst(),
            [],
            [2, 1] + Array(repeating: 0, count: 16) + [1, 0, 1, 1, 1, 99, 0, 0],
        ]
        for bytes in damaged {
            #expect {
                try RecordState(table: table, values: state.encodedValues, meta: bytes, others: state.encodedOthers)
            } throws: { error in
                (error as? SyncError)?.code == .storage
            }
        }
    }
}

extension String {
    /// The bytes of a string of hexadecimal digits.
    fileprivate var hexBytes: [UInt8] {
        var result: [UInt8] = []
        var index = startIndex
        while index < endIndex {
            let next = self.index(index, offsetBy: 2)
            result.append(UInt8(self[index..<next], radix: 16)!)
            index = next
        }
        return result
    }
}
