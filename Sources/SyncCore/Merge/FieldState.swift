/// The merged state of one field: the writes that still count, the winner first.
///
/// For ordered rules (``MergeRule/lastWriterWins``, ``MergeRule/setOnce``,
/// ``MergeRule/tombstone``) the state holds at most one write. For causal rules
/// (``MergeRule/multiValue``, ``MergeRule/addWins``) it holds the maximal writes: those that no
/// other write known here had seen. A write that has seen a value supersedes it; writes that have
/// not seen each other are concurrent and all stay.
///
/// Merging is a join: commutative, associative and idempotent, so replicas that received the same
/// writes in any order, any number of times, hold equal states.
///
/// ```swift
/// var a = FieldState(rule: .multiValue)
/// a.merge(w1)
/// let b = FieldState(rule: .multiValue, writes: [w2])
/// a.merged(with: b) == b.merged(with: a)   // true
/// ```
public struct FieldState: Hashable, Sendable {
    /// The field's merge rule.
    public let rule: MergeRule
    /// The writes that count: the winner first, then the others from latest to earliest.
    public private(set) var writes: [FieldWrite]

    /// Creates a state holding the merge of `writes`.
    ///
    /// - Parameters:
    ///   - rule: The field's merge rule.
    ///   - writes: Writes to merge in, in any order.
    public init(rule: MergeRule, writes: [FieldWrite] = []) {
        self.rule = rule
        self.writes = []
        for write in writes { merge(write) }
    }

    /// Creates a state from writes already merged and ordered (as stored), without re-merging.
    init(rule: MergeRule, merged writes: [FieldWrite]) {
        self.rule = rule
        self.writes = writes
    }

    /// The write whose value shows, or `nil` when the field was never written.
    public var winner: FieldWrite? { writes.first }

    /// The concurrent values that lost to ``winner`` and wait for a resolution.
    ///
    /// Empty for rules that do not report conflicts.
    public var conflicts: [FieldWrite] { rule.reportsConflicts ? Array(writes.dropFirst()) : [] }

    /// Everything seen of this field: the join of the writes' contexts and dots.
    ///
    /// A local write takes this as its context (plus its own dot), so it supersedes every value
    /// here, conflicts included.
    public var context: VersionVector {
        var vector = VersionVector()
        for write in writes {
            if let context = write.context { vector.merge(context) }
            vector.advance(write.dot)
        }
        return vector
    }

    /// Merges one write in.
    ///
    /// - Parameter write: A write of this field, local or remote.
    /// - Returns: `true` when the state changed; `false` when the write was already known or
    ///   superseded.
    @discardableResult
    public mutating func merge(_ write: FieldWrite) -> Bool {
        if rule.isCausal {
            if writes.contains(where: { $0.dot == write.dot || $0.hasSeen(write) }) { return false }
            writes.removeAll { write.hasSeen($0) }
            writes.append(write)
            writes.sort { rule.prefers($0, over: $1) }
            return true
        }
        if let current = writes.first, current.dot == write.dot || !rule.prefers(write, over: current) {
            return false
        }
        writes = [write]
        return true
    }

    /// Merges another state of the same field in.
    ///
    /// - Parameter other: Another replica's state of this field.
    public mutating func merge(_ other: FieldState) {
        precondition(other.rule == rule, "merging a \(other.rule) state into a \(rule) state")
        for write in other.writes { merge(write) }
    }

    /// The join of this state and another.
    ///
    /// - Parameter other: Another replica's state of this field.
    /// - Returns: The merged state.
    public func merged(with other: FieldState) -> FieldState {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// Checks the state's invariants; tests call this after every merge.
    public func _checkInvariants() {
        if !rule.isCausal {
            precondition(writes.count <= 1, "\(rule) state holds \(writes.count) writes")
            return
        }
        for (index, write) in writes.enumerated() {
            for other in writes where other.dot != write.dot {
                precondition(!write.hasSeen(other), "state holds \(other.dot), superseded by \(write.dot)")
            }
            if index > 0 {
                precondition(!rule.prefers(write, over: writes[index - 1]), "writes out of order at \(index)")
            }
        }
        precondition(Set(writes.map(\.dot)).count == writes.count, "duplicate dot in state")
    }
}
