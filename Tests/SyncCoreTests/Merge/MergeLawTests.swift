import PropertyBased
import SyncCore
import SyncTestSupport
import Testing

@Suite struct MergeLawTests {
    @Test(arguments: MergeRule.allCases)
    func fieldState_isAJoin(rule: MergeRule) async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0 ... .max)) { seed in
            let writes = FieldHistory.make(rule: rule, seed: seed)
            var random = SplitMix64(seed: seed ^ 0xABCD)
            let a = FieldHistory.state(from: writes, rule: rule, using: &random)
            let b = FieldHistory.state(from: writes, rule: rule, using: &random)
            let c = FieldHistory.state(from: writes, rule: rule, using: &random)
            let broken = checkMergeLaws(a, b, c, identity: FieldState(rule: rule)) { $0.merged(with: $1) }
            #expect(broken.isEmpty, "\(rule) breaks \(broken) for seed \(seed)")
            a.merged(with: b).merged(with: c)._checkInvariants()
        }
    }

    @Test(arguments: MergeRule.allCases)
    func fieldState_ignoresDeliveryOrderAndDuplicates(rule: MergeRule) async {
        await propertyCheck(count: 300, input: Gen.uint64(in: 0 ... .max)) { seed in
            let writes = FieldHistory.make(rule: rule, seed: seed)
            var random = SplitMix64(seed: seed)
            let inOrder = FieldState(rule: rule, writes: writes)
            let shuffled = FieldState(rule: rule, writes: (writes + writes.prefix(5)).shuffled(using: &random))
            #expect(inOrder == shuffled, "\(rule): order or duplicates changed the state for seed \(seed)")
        }
    }

    @Test func multiValue_keepsConcurrentWrites_andWriteThatSawThemSupersedes() {
        let (a, b) = (ReplicaID(), ReplicaID())
        let wa = FieldWrite(
            value: .text("A"),
            dot: Dot(origin: a, seq: 1),
            timestamp: .init(rawValue: 10),
            context: VersionVector([a: 1])
        )
        let wb = FieldWrite(
            value: .text("B"),
            dot: Dot(origin: b, seq: 1),
            timestamp: .init(rawValue: 20),
            context: VersionVector([b: 1])
        )
        var state = FieldState(rule: .multiValue, writes: [wa, wb])
        #expect(state.winner?.value == .text("B"))
        #expect(state.conflicts.map(\.value) == [.text("A")])
        let resolution = FieldWrite(
            value: .text("AB"),
            dot: Dot(origin: a, seq: 2),
            timestamp: .init(rawValue: 15),
            context: VersionVector([a: 2, b: 1])
        )
        state.merge(resolution)
        #expect(state.writes.map(\.value) == [.text("AB")], "a write that saw both wins even with an older timestamp")
    }

    @Test func multiValue_supersededThroughUndeliveredWrite_isNotAConflict() {
        // a writes v1; b sees v1 and writes v2; c sees v2 and writes v3. v2 is never delivered
        // to d, which holds v1 and receives v3: v3's context names v1 (transitively), so no conflict.
        let (a, b, c) = (ReplicaID(), ReplicaID(), ReplicaID())
        let v1 = FieldWrite(
            value: .text("1"),
            dot: Dot(origin: a, seq: 1),
            timestamp: .init(rawValue: 1),
            context: VersionVector([a: 1])
        )
        let v3 = FieldWrite(
            value: .text("3"),
            dot: Dot(origin: c, seq: 1),
            timestamp: .init(rawValue: 3),
            context: VersionVector([a: 1, b: 1, c: 1])
        )
        let state = FieldState(rule: .multiValue, writes: [v1, v3])
        #expect(state.conflicts.isEmpty)
        #expect(state.winner?.value == .text("3"))
    }

    @Test func addWins_addConcurrentWithRemove_staysPresent() {
        let (a, b) = (ReplicaID(), ReplicaID())
        let add1 = FieldWrite(
            value: .bool(true),
            dot: Dot(origin: a, seq: 1),
            timestamp: .init(rawValue: 1),
            context: VersionVector([a: 1])
        )
        let remove = FieldWrite(
            value: .bool(false),
            dot: Dot(origin: b, seq: 1),
            timestamp: .init(rawValue: 9),
            context: VersionVector([a: 1, b: 1])
        )
        let add2 = FieldWrite(
            value: .bool(true),
            dot: Dot(origin: a, seq: 2),
            timestamp: .init(rawValue: 2),
            context: VersionVector([a: 2])
        )
        #expect(FieldState(rule: .addWins, writes: [add1, remove]).winner?.value == .bool(false))
        #expect(FieldState(rule: .addWins, writes: [add1, remove, add2]).winner?.value == .bool(true))
    }

    @Test func tombstone_onceSet_staysSet() {
        let a = ReplicaID()
        let delete = FieldWrite(value: .bool(true), dot: Dot(origin: a, seq: 1), timestamp: .init(rawValue: 1))
        let later = FieldWrite(value: .bool(false), dot: Dot(origin: a, seq: 2), timestamp: .init(rawValue: 5))
        #expect(FieldState(rule: .tombstone, writes: [delete, later]).winner?.value == .bool(true))
    }

    @Test func setOnce_earliestWins() {
        let (a, b) = (ReplicaID(), ReplicaID())
        let first = FieldWrite(value: .text("essaouira"), dot: Dot(origin: a, seq: 1), timestamp: .init(rawValue: 1))
        let second = FieldWrite(value: .text("tamanar"), dot: Dot(origin: b, seq: 1), timestamp: .init(rawValue: 2))
        #expect(FieldState(rule: .setOnce, writes: [second, first]).winner?.value == .text("essaouira"))
    }
}
