import SyncCore
import Testing

/// What a batch may claim about writes, against what the receiver holds
/// (``ChangeBatch/checkClaims(receiver:ownSequence:vector:)``).
@Suite struct ClaimCheckTests {
    private let receiver = ReplicaID()
    private let writer = ReplicaID()
    private let other = ReplicaID()

    private func batch(
        origin: ReplicaID? = nil,
        seq: UInt64 = 3,
        context: [ReplicaID: UInt64]? = nil,
        covered: [CoveredRange] = [],
        extra: [Change] = []
    ) -> ChangeBatch {
        let origin = origin ?? writer
        let change = Change(
            table: "proposal",
            record: "01a224f1-cc30-7c3f-b97e-30c8de31feb3",
            origin: origin,
            seq: seq,
            timestamp: HybridTimestamp(wallMillis: 1_795_915_719_412, counter: 0),
            schemaVersion: 1,
            fields: ["title": FieldChange(value: .text("عنوان"), context: VersionVector(context ?? [origin: seq]))]
        )
        return ChangeBatch(schemaVersion: 1, changes: [change] + extra, covered: covered, isComplete: true)
    }

    private func check(_ batch: ChangeBatch, held: [ReplicaID: UInt64] = [:], ownSequence: UInt64 = 5) throws {
        try batch.checkClaims(receiver: receiver, ownSequence: ownSequence, vector: VersionVector(held))
    }

    @Test func contextNamingAWriteTheReceiverHolds_passes() throws {
        try check(batch(context: [writer: 3, other: 7]), held: [other: 7])
    }

    @Test func contextNamingAWriteNobodyHolds_isRefused() throws {
        let error = #expect(throws: SyncError.self) {
            try check(batch(context: [writer: 3, other: 8]), held: [other: 7])
        }
        #expect(error?.code == .invalidBatch)
        #expect(error?.message.contains("\(other)") == true)
    }

    @Test func contextNamingAWriteTheBatchCovers_passes() throws {
        let range = CoveredRange(origin: other, after: 0, through: 9)
        try check(batch(context: [writer: 3, other: 9], covered: [range]))
    }

    @Test func contextNamingAWriteTheBatchCarries_passes() throws {
        let carried = batch(origin: other, seq: 12).changes[0]
        try check(batch(context: [writer: 3, other: 12], extra: [carried]))
    }

    @Test func contextNamingALaterWriteOfItsOwnOrigin_isRefused() throws {
        let error = #expect(throws: SyncError.self) { try check(batch(seq: 3, context: [writer: 4])) }
        #expect(error?.code == .invalidBatch)
        #expect(error?.message.contains("its own write") == true)
    }

    @Test func changeOfTheReceiversOwnIdentityAboveWhatItWrote_isRefused() throws {
        let error = #expect(throws: SyncError.self) { try check(batch(origin: receiver, seq: 6), ownSequence: 5) }
        #expect(error?.code == .invalidBatch)
        #expect(error?.message.contains("copy of this database or is forged") == true)
        try check(batch(origin: receiver, seq: 5), ownSequence: 5)
    }

    @Test func coveredRangeOfTheReceiversOwnIdentityAboveWhatItWrote_isRefused() throws {
        let range = CoveredRange(origin: receiver, after: 0, through: VersionVector.maxSequence - 1)
        #expect(throws: SyncError.self) { try check(batch(covered: [range]), ownSequence: 5) }
        try check(batch(covered: [CoveredRange(origin: receiver, after: 0, through: 5)]), ownSequence: 5)
    }

    @Test func contextOfMoreThanTheBoundOfOrigins_isRefusedBeforeApplying() throws {
        var context: [ReplicaID: UInt64] = [writer: 3]
        for _ in 0..<ChangeBatch.maxContextEntries { context[ReplicaID()] = 1 }
        let error = #expect(throws: SyncError.self) {
            try batch(context: context).validate(
                against: .participation,
                maxDriftMillis: 300_000,
                now: 1_795_915_719_412
            )
        }
        #expect(error?.message.contains("at most \(ChangeBatch.maxContextEntries)") == true)
    }
}
