/// How concurrent writes of one field are merged.
///
/// | rule | used for | merge |
/// | --- | --- | --- |
/// | ``lastWriterWins`` | flags, event fields, comment body | the latest timestamp wins |
/// | ``multiValue`` | proposal title, body, category, status, answer | concurrent values all kept; the latest shows, the others are an open conflict |
/// | ``addWins`` | support, attendance membership | an add concurrent with a remove wins |
/// | ``setOnce`` | commune, author, created-at, parent | the first write wins, later ones are ignored |
/// | ``tombstone`` | comment deletion | once set, stays set |
///
/// ```swift
/// var state = FieldState(rule: .multiValue)
/// state.merge(writeFromOunagha)
/// state.merge(concurrentWriteFromTamanar)
/// state.conflicts.count   // 1
/// ```
public enum MergeRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// Last writer wins, by timestamp, then origin.
    case lastWriterWins = "lww"
    /// Multi-value register: concurrent values kept as a conflict until a write that saw them.
    case multiValue = "mvr"
    /// Add-wins membership flag: present when any concurrent write says present.
    case addWins = "add-wins"
    /// Set once: the earliest write wins.
    case setOnce = "set-once"
    /// Tombstone: a monotone flag, `true` wins over `false`.
    case tombstone = "tombstone"

    /// Whether writes under this rule carry a causal context and are merged by causality.
    public var isCausal: Bool { self == .multiValue || self == .addWins }

    /// Whether losing concurrent values are shown to people as an open conflict.
    public var reportsConflicts: Bool { self == .multiValue }

    /// Whether `candidate` should show instead of `current` among values that both stay.
    ///
    /// For ordered rules this is the whole merge; for causal rules it only picks which of the
    /// concurrent values shows.
    func prefers(_ candidate: FieldWrite, over current: FieldWrite) -> Bool {
        switch self {
        case .lastWriterWins, .multiValue:
            return candidate.isLater(than: current)
        case .setOnce:
            return current.isLater(than: candidate)
        case .tombstone, .addWins:
            let (a, b) = (candidate.value.isTrue, current.value.isTrue)
            return a != b ? a : candidate.isLater(than: current)
        }
    }
}
