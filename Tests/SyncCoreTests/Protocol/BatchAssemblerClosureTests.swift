import SyncCore
import Testing

/// Batches closed over what their contexts name (``BatchAssembler``), driven by a log in memory
/// the way both stores drive it.
@Suite struct BatchAssemblerClosureTests {
    private let a = try! ReplicaID(parsing: "00000000-0000-4000-8000-00000000000a")
    private let b = try! ReplicaID(parsing: "00000000-0000-4000-8000-00000000000b")
    private let c = try! ReplicaID(parsing: "00000000-0000-4000-8000-00000000000c")
    private let receiver = ReplicaID()

    /// One origin's log: each sequence, with the change it still sends (`nil`: superseded).
    private typealias Log = [ReplicaID: [UInt64: Change?]]

    private func change(_ origin: ReplicaID, _ seq: UInt64, sees context: [ReplicaID: UInt64] = [:]) -> Change {
        Change(
            table: "proposal",
            record: "01a224f1-cc30-7c3f-b97e-30c8de31feb\(origin.rawValue.suffix(1))",
            origin: origin,
            seq: seq,
            timestamp: HybridTimestamp(wallMillis: 1_795_915_719_412, counter: Int(seq)),
            schemaVersion: 1,
            fields: [
                "title": FieldChange(
                    value: .text("ⵜⴰⵎⴰⵣⵉⵖⵜ \(seq)"),
                    context: VersionVector(context.merging([origin: seq]) { max($0, $1) })
                )
            ]
        )
    }

    private func assemble(
        _ log: Log,
        vector: [ReplicaID: UInt64],
        since: [ReplicaID: UInt64] = [:],
        limit: Int,
        filter: OriginFilter = .all
    ) -> ChangeBatch {
        var assembler = BatchAssembler(
            vector: VersionVector(vector),
            since: VersionVector(since),
            limit: limit,
            filter: filter,
            schemaVersion: 1
        )
        while let scan = assembler.nextScan() {
            var found = BatchAssembler.Found(coveredThrough: scan.through)
            var last = scan.after
            for seq in (log[scan.origin] ?? [:]).keys.sorted() where seq > scan.after && seq <= scan.through {
                guard found.scanned < scan.limit else { break }
                found.scanned += 1
                last = seq
                if let sent = log[scan.origin]?[seq] ?? nil { found.changes.append(sent) }
            }
            if found.scanned == scan.limit { found.coveredThrough = last }
            assembler.record(found)
        }
        return assembler.batch
    }

    @Test func aContextNamingAnotherOrigin_bringsThatOriginsRange_pastTheLimit() throws {
        let log: Log = [a: [1: change(a, 1, sees: [b: 3])], b: [1: change(b, 1), 2: nil, 3: change(b, 3)]]
        let batch = assemble(log, vector: [a: 1, b: 3], limit: 1)
        #expect(batch.changes.map(\.dot) == [Dot(origin: a, seq: 1), Dot(origin: b, seq: 1), Dot(origin: b, seq: 3)])
        #expect(
            batch.covered == [
                CoveredRange(origin: a, after: 0, through: 1), CoveredRange(origin: b, after: 0, through: 3),
            ]
        )
        try batch.checkClaims(receiver: receiver, ownSequence: 0, vector: VersionVector())
    }

    @Test func aChangeWhoseContextTheStoreCannotBack_isHeldBackWithTheRestOfItsOrigin() throws {
        // The store holds b's third write out of order: its vector says b:1.
        let log: Log = [
            a: [1: change(a, 1), 2: change(a, 2, sees: [b: 3]), 3: change(a, 3)],
            b: [1: change(b, 1), 3: change(b, 3)],
        ]
        let batch = assemble(log, vector: [a: 3, b: 1], limit: 10)
        #expect(batch.changes.map(\.dot) == [Dot(origin: a, seq: 1), Dot(origin: b, seq: 1)])
        #expect(
            batch.covered == [
                CoveredRange(origin: a, after: 0, through: 1), CoveredRange(origin: b, after: 0, through: 1),
            ]
        )
        try batch.checkClaims(receiver: receiver, ownSequence: 0, vector: VersionVector())
        // Once the store holds b up to 3, the rest of a goes.
        let later = assemble(
            log.merging([b: [1: change(b, 1), 2: nil, 3: change(b, 3)]]) { $1 },
            vector: [a: 3, b: 3],
            since: [a: 1, b: 1],
            limit: 10
        )
        #expect(later.changes.map(\.dot).contains(Dot(origin: a, seq: 3)))
        try later.checkClaims(receiver: receiver, ownSequence: 0, vector: VersionVector([a: 1, b: 1]))
    }

    @Test func holdingBackAChange_holdsBackTheChangesThatSawIt() throws {
        let log: Log = [
            a: [1: change(a, 1), 2: change(a, 2, sees: [b: 5])],
            b: [1: change(b, 1)],
            c: [1: change(c, 1, sees: [a: 2])],
        ]
        let batch = assemble(log, vector: [a: 2, b: 1, c: 1], limit: 10)
        #expect(batch.changes.map(\.dot) == [Dot(origin: a, seq: 1), Dot(origin: b, seq: 1)])
        #expect(!batch.covered.contains { $0.origin == c })
        try batch.checkClaims(receiver: receiver, ownSequence: 0, vector: VersionVector())
    }

    @Test func aRelaysContexts_areCutToTheOriginsItMayReceive() throws {
        let log: Log = [a: [1: change(a, 1, sees: [b: 3])], b: [1: change(b, 1), 2: nil, 3: change(b, 3)]]
        let batch = assemble(log, vector: [a: 1, b: 3], limit: 10, filter: .only([a]))
        #expect(batch.changes.map(\.dot) == [Dot(origin: a, seq: 1)])
        #expect(batch.changes[0].fields["title"]?.context == VersionVector([a: 1]))
        try batch.checkClaims(receiver: receiver, ownSequence: 0, vector: VersionVector())
    }

    @Test func aPushLeavingAnOriginOut_holdsBackWhatNeedsIt() throws {
        let log: Log = [a: [1: change(a, 1, sees: [b: 3])], b: [1: change(b, 1), 2: nil, 3: change(b, 3)]]
        let batch = assemble(log, vector: [a: 1, b: 3], since: [b: 2], limit: 10, filter: .excluding([b]))
        #expect(batch.changes.isEmpty)
        #expect(batch.covered.isEmpty)
    }
}
