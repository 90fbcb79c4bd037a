public import SyncCore

/// Generates a causally valid history of writes to one field by a few replicas.
///
/// Replicas write and receive each other's writes in a random order; each write carries the
/// context its writer had (for causal rules). Any subset of the history is a reachable state.
///
/// ```swift
/// let writes = FieldHistory.make(rule: .multiValue, seed: 7)
/// ```
public enum FieldHistory {
    /// Makes a history.
    ///
    /// - Parameters:
    ///   - rule: The field's merge rule.
    ///   - seed: The seed.
    ///   - steps: How many steps (writes and deliveries).
    /// - Returns: Every write made, in the order made.
    public static func make(rule: MergeRule, seed: UInt64, steps: Int = 24) -> [FieldWrite] {
        var random = SplitMix64(seed: seed)
        let replicas = (0..<3).map { _ in ReplicaID() }.sorted()
        var views = replicas.map { _ in FieldState(rule: rule) }
        var clocks = replicas.map { _ in HybridLogicalClock(last: .zero) }
        var seqs = replicas.map { _ in UInt64(0) }
        var writes: [FieldWrite] = []
        var now: Int64 = 1_000_000
        for _ in 0..<steps {
            now += Int64.random(in: 0...3, using: &random)
            let r = Int.random(in: 0..<replicas.count, using: &random)
            if writes.isEmpty || random.chance(0.5) {
                seqs[r] += 1
                let dot = Dot(origin: replicas[r], seq: seqs[r])
                var context: VersionVector?
                if rule.isCausal {
                    var seen = views[r].context
                    seen.advance(dot)
                    context = seen
                }
                let value: FieldValue =
                    rule == .addWins || rule == .tombstone
                    ? .bool(random.chance(0.5)) : .text(["أ", "b", "ⵣ", "é"].randomElement(using: &random)!)
                let write = FieldWrite(
                    value: value,
                    dot: dot,
                    timestamp: clocks[r].tick(now: now + Int64.random(in: -2...2, using: &random)),
                    context: context
                )
                views[r].merge(write)
                writes.append(write)
            } else {
                let write = writes.randomElement(using: &random)!
                try? clocks[r].receive(write.timestamp, now: now + 1_000_000, origin: write.dot.origin)
                views[r].merge(write)
            }
        }
        return writes
    }

    /// Picks a random subset of writes and merges them in a random order.
    ///
    /// - Parameters:
    ///   - writes: A history.
    ///   - rule: The field's merge rule.
    ///   - random: The random source.
    /// - Returns: The merged state.
    public static func state(
        from writes: [FieldWrite],
        rule: MergeRule,
        using random: inout SplitMix64
    ) -> FieldState {
        var state = FieldState(rule: rule)
        for write in writes.shuffled(using: &random) where random.chance(0.5) {
            state.merge(write)
            state._checkInvariants()
        }
        return state
    }
}
