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

    private let since: VersionVector
    private let filter: OriginFilter
    private let schemaVersion: Int
    private let pending: [(origin: ReplicaID, through: UInt64)]
    private var index = 0
    private var budget: Int
    private var stopped = false
    private var complete = true
    private var changes: [Change] = []
    private var covered: [CoveredRange] = []

    /// Starts a batch.
    ///
    /// - Parameters:
    ///   - vector: The store's vector.
    ///   - since: What the receiver has.
    ///   - limit: The most log entries to read (positive).
    ///   - filter: The origins that may be sent.
    ///   - schemaVersion: The store's schema version.
    public init(vector: VersionVector, since: VersionVector, limit: Int, filter: OriginFilter, schemaVersion: Int) {
        precondition(limit > 0, "a batch limit must be positive")
        self.since = since
        self.filter = filter
        self.schemaVersion = schemaVersion
        self.budget = limit
        self.pending = vector.sortedEntries.filter { $0.seq > since[$0.origin] && filter.admits($0.origin) }
            .map { (origin: $0.origin, through: $0.seq) }
    }

    /// The next origin's log to read, or `nil` when the batch is full or nothing remains.
    ///
    /// - Returns: The scan to run, then to pass to ``record(_:)``.
    public mutating func nextScan() -> Scan? {
        guard !stopped, index < pending.count else { return nil }
        guard budget > 0 else {
            complete = false
            stopped = true
            return nil
        }
        let (origin, through) = pending[index]
        return Scan(
            origin: origin,
            after: since[origin],
            through: through,
            limit: budget,
            scope: filter.scopeOrigins(for: origin)
        )
    }

    /// Adds what the scan ``nextScan()`` returned found.
    ///
    /// - Parameter found: The changes read and how far the read went.
    public mutating func record(_ found: Found) {
        let (origin, through) = pending[index]
        index += 1
        changes += found.changes
        budget -= found.scanned
        covered.append(CoveredRange(origin: origin, after: since[origin], through: found.coveredThrough))
        if found.coveredThrough < through {
            complete = false
            stopped = true
        }
    }

    /// The batch assembled so far.
    public var batch: ChangeBatch {
        ChangeBatch(schemaVersion: schemaVersion, changes: changes, covered: covered, isComplete: complete)
    }
}
