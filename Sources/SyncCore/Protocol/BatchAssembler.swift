/// Builds a bounded batch from a store's change log, one origin at a time: the one algorithm both
/// storage backends follow, so that batches, covered ranges and completeness mean the same
/// whichever store answers.
///
/// The store drives it: it asks ``nextScan()`` which origin's log to read and how far, reads at
/// most that many entries, and hands back what it found with ``record(_:)``:
///
/// ```swift
/// var assembler = BatchAssembler(vector: mine, since: peerVector, limit: 500, filter: .all, schemaVersion: 1)
/// while let scan = assembler.nextScan() {
///     assembler.record(try readLog(scan.origin, after: scan.after, through: scan.through, limit: scan.limit))
/// }
/// let batch = assembler.batch
/// ```
///
/// Origins come in the vector's order. Each scanned log entry counts against the limit, sent or
/// not (a superseded change is read from the current record and may send nothing), and each
/// origin scanned gets a covered range up to where its scan stopped, so the receiver's vector
/// moves past superseded changes and never past one it was not sent. Origins the filter refuses
/// get neither changes nor covered ranges.
///
/// **Causal closure.** A receiver refuses a change whose causal context names a write of another
/// origin that it neither holds nor receives in the same batch (see
/// ``ChangeBatch/checkClaims(receiver:ownSequence:vector:)``): such a context could be a lie that
/// hides that origin's later writes. So after each origin's scan, the assembler asks for the
/// ranges of other origins that the batch's contexts name beyond what the receiver holds, past
/// the limit if need be (up to ``ChangeBatch/maxChanges`` changes). A change whose context this
/// store cannot back with a covered range (it holds that write out of order, or the filter keeps
/// that origin out) is held back with every later change of its origin: the origin's range ends
/// before it, and a later batch sends it once the store can. For a relay's filtered pull, the
/// contexts are first cut down to the origins the relay may receive: it never holds the others'
/// writes, so their entries cannot change what it merges.
public struct BatchAssembler: Sendable {
    /// One origin's log to read: the entries `after < seq <= through`, at most `limit` of them,
    /// only those to records that one of `scope` wrote when a scope is given.
    public struct Scan: Hashable, Sendable {
        /// The origin.
        public var origin: ReplicaID
        /// The receiver has everything of `origin` up to this sequence.
        public var after: UInt64
        /// This store has everything of `origin` up to this sequence.
        public var through: UInt64
        /// The most log entries to read.
        public var limit: Int
        /// For a relay's shared origins, the origins whose writes put a record in scope.
        public var scope: Set<ReplicaID>?
    }

    /// What reading one origin's log found.
    public struct Found: Sendable {
        /// The changes to send.
        public var changes: [Change] = []
        /// How many log entries were read, sent or not.
        public var scanned = 0
        /// The highest sequence the read covers: the scan's `through`, or the last entry read when
        /// the limit stopped it.
        public var coveredThrough: UInt64

        /// Starts an empty result covering `through`.
        ///
        /// - Parameter coveredThrough: The scan's `through`.
        public init(coveredThrough: UInt64) {
            self.coveredThrough = coveredThrough
        }
    }

    let since: VersionVector
    let vector: VersionVector
    let filter: OriginFilter
    private let schemaVersion: Int
    private let pending: [(origin: ReplicaID, through: UInt64)]
    private var index = 0
    private var budget: Int
    private var stopped = false
    private var complete = true
    /// The scan handed out by ``nextScan()`` and not recorded yet, and whether it fills a need.
    private var current: (origin: ReplicaID, isClosure: Bool)?
    /// The changes so far, by origin, each in sequence order.
    var changes: [ReplicaID: [Change]] = [:]
    /// The covered range of each origin sent so far, and the order origins were first covered in.
    var covered: [ReplicaID: CoveredRange] = [:]
    var coveredOrder: [ReplicaID] = []
    /// Per origin, the highest sequence the batch's contexts name.
    var needs = VersionVector()
    /// The origins whose need is above what the batch brings.
    var unmet: Set<ReplicaID> = []
    /// Origins whose range was cut before a held-back change: nothing at or above the bound goes.
    var ceilings: [ReplicaID: UInt64] = [:]
    /// Log entries closure scans may still read.
    var closureBudget: Int
    /// Changes in the batch.
    var changeCount = 0

    /// Starts a batch.
    ///
    /// - Parameters:
    ///   - vector: The store's vector.
    ///   - since: What the receiver has.
    ///   - limit: The most log entries to read (positive) before the causal closure.
    ///   - filter: The origins that may be sent.
    ///   - schemaVersion: The store's schema version.
    public init(vector: VersionVector, since: VersionVector, limit: Int, filter: OriginFilter, schemaVersion: Int) {
        precondition(limit > 0, "a batch limit must be positive")
        self.since = since
        self.vector = vector
        self.filter = filter
        self.schemaVersion = schemaVersion
        self.budget = limit
        self.closureBudget = ChangeBatch.maxChanges
        self.pending = vector.sortedEntries.filter { $0.seq > since[$0.origin] && filter.admits($0.origin) }
            .map { (origin: $0.origin, through: $0.seq) }
    }

    /// The next origin's log to read, or `nil` when the batch is full or nothing remains.
    ///
    /// - Returns: The scan to run, then to pass to ``record(_:)``.
    public mutating func nextScan() -> Scan? {
        precondition(current == nil, "record the scan handed out before asking for the next")
        if let scan = nextClosureScan() {
            current = (scan.origin, true)
            return scan
        }
        guard !stopped, index < pending.count else { return nil }
        guard budget > 0 else {
            complete = false
            stopped = true
            return nil
        }
        let (origin, through) = pending[index]
        // A closure scan may already have sent the start of this origin's range.
        let start = max(since[origin], covered[origin]?.through ?? 0)
        let end = min(through, (ceilings[origin] ?? .max))
        guard start < end else {
            index += 1
            return nextScan()
        }
        current = (origin, false)
        return Scan(origin: origin, after: start, through: end, limit: budget, scope: filter.scopeOrigins(for: origin))
    }

    /// Adds what the scan ``nextScan()`` returned found.
    ///
    /// - Parameter found: The changes read and how far the read went.
    public mutating func record(_ found: Found) {
        guard let (origin, isClosure) = current else { preconditionFailure("no scan was handed out") }
        current = nil
        if isClosure {
            closureBudget -= found.scanned
        } else {
            index += 1
            budget -= found.scanned
            if found.coveredThrough < pending[index - 1].through && ceilings[origin] == nil {
                complete = false
                stopped = true
            }
        }
        add(found.changes, of: origin, coveredThrough: found.coveredThrough)
    }

    /// The batch assembled so far.
    public var batch: ChangeBatch {
        let ordered = coveredOrder.sorted()
        let ranges = ordered.compactMap { covered[$0] }.filter { $0.through > $0.after }
        let sent = ordered.flatMap { changes[$0] ?? [] }
        return ChangeBatch(schemaVersion: schemaVersion, changes: sent, covered: ranges, isComplete: complete)
    }
}
