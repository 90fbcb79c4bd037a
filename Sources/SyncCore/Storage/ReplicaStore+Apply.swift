import GRDB

/// What applying a batch did.
public struct ApplyResult: Hashable, Sendable {
    /// Changes that altered at least one field.
    public var applied: Int
    /// Changes already known or superseded here: no effect.
    public var ignored: Int
    /// The receiver's vector after the batch.
    public var vector: VersionVector

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - applied: Changes that altered at least one field.
    ///   - ignored: Changes without effect.
    ///   - vector: The receiver's vector after the batch.
    public init(applied: Int, ignored: Int, vector: VersionVector) {
        self.applied = applied
        self.ignored = ignored
        self.vector = vector
    }
}

extension ReplicaStore {
    /// Applies a batch of remote changes and advances the version vector, in one transaction.
    ///
    /// The whole batch is validated first (tables, fields, value types and sizes, schema
    /// version, timestamps within the drift bound), then, in the transaction, its claims against
    /// what this replica holds (``ChangeBatch/checkClaims(receiver:ownSequence:vector:)``); one
    /// invalid change refuses the whole batch and nothing is applied. A change of this replica's
    /// own identity never raises its sequence number: one above what it wrote is refused.
    /// Applying is idempotent and order-independent: a change already known, or superseded by a
    /// write that saw it, changes nothing. The vector moves over each
    /// ``CoveredRange`` that starts at or below this replica's entry, in the same transaction as
    /// the data, so a checkpoint never runs ahead of the data.
    ///
    /// ```swift
    /// let result = try laptop.apply(try hub.changes(since: laptop.vector(), limit: 500))
    /// ```
    ///
    /// - Parameter batch: Changes from another replica.
    /// - Returns: How many changes took effect, and the new vector.
    /// - Throws: ``SyncError`` with ``SyncError/Code/schemaMismatch`` (upgrade this replica),
    ///   ``SyncError/Code/clockDrift`` (a clock is wrong) or ``SyncError/Code/invalidBatch``.
    @discardableResult
    public func apply(_ batch: ChangeBatch) throws -> ApplyResult {
        try apply(validated(batch))
    }

    /// Applies a batch checked by ``validated(_:)``, as ``apply(_:)-(ChangeBatch)`` does; one
    /// checked against another schema is checked again.
    ///
    /// - Parameter checked: The batch.
    /// - Returns: How many changes took effect, and the new vector.
    /// - Throws: ``SyncError`` from the checks or the storage.
    @discardableResult
    public func apply(_ checked: ValidatedBatch) throws -> ApplyResult {
        if checked.schema != schema { try validate(checked.batch) }
        let batch = checked.batch
        let split = KeptFields.split(batch.changes, schema: schema)
        let now = wallClock()
        return try write { db in
            var local = try LocalState.load(db, maxDriftMillis: maxDriftMillis)
            adopt(local.replica)
            let held = try VectorTable.load(db)
            try batch.checkClaims(receiver: local.replica, ownSequence: local.seq, vector: held)
            var logged: [Change] = []
            logged.reserveCapacity(batch.changes.count)
            // While the records of the batch turn out new (a first pull, new proposals), each is
            // inserted unless stored, without looking it up first; once one is found stored, the
            // next ones are looked up until one is missing again.
            var expectNew = true
            for change in split.known {
                try local.clock.receive(change.timestamp, now: now, origin: change.origin)
                let access = RowAccess(db: db, table: schema.table(named: change.table)!)
                if expectNew, try access.insertIfNew(change, sum: &local.sum) {
                    logged.append(change)
                    continue
                }
                var row = try access.load(change.record)
                expectNew = !row.exists
                if try access.merge(change, into: &row, record: change.record) {
                    try access.save(change.record, &row, sum: &local.sum)
                    logged.append(change)
                }
            }
            try KeptFields.keep(split.kept, in: db, local: &local, logged: &logged, now: now)
            // Nothing in this transaction reads the log before it commits.
            try Self.log(db, logged, lastSum: nil)
            let applied = logged.count
            let ignored = batch.changes.count - applied
            let vector = held.advanced(by: batch)
            for (origin, seq) in vector.entries where seq != held[origin] {
                try VectorTable.raise(db, origin: origin, to: seq)
            }
            try local.save(db)
            return ApplyResult(applied: applied, ignored: ignored, vector: vector)
        }
    }

    /// Checks a whole batch before anything is applied.
    private func validate(_ batch: ChangeBatch) throws {
        try batch.validate(against: schema, maxDriftMillis: maxDriftMillis, now: wallClock())
    }
}

/// A batch checked by ``ReplicaStore/validated(_:)``: tables, fields, values, schema versions and
/// timestamps within the drift bound, ready to be applied.
public struct ValidatedBatch: Sendable {
    /// The changes.
    public let batch: ChangeBatch
    /// The schema they were checked against.
    let schema: Schema

    /// Checks a batch (``ChangeBatch/validate(against:maxDriftMillis:now:)``).
    ///
    /// - Parameters:
    ///   - batch: Changes from another replica.
    ///   - schema: The receiver's schema.
    ///   - maxDriftMillis: The receiver's drift bound.
    ///   - now: The receiver's wall clock, Unix milliseconds.
    /// - Throws: ``SyncError`` for the first thing wrong.
    public init(checking batch: ChangeBatch, schema: Schema, maxDriftMillis: Int64, now: Int64) throws {
        try batch.validate(against: schema, maxDriftMillis: maxDriftMillis, now: now)
        self.batch = batch
        self.schema = schema
    }
}

extension ChangeBatch {
    /// Checks a whole batch before anything of it is applied: tables, fields, value types and
    /// sizes, schema versions, record ids, causal contexts, timestamps within the drift bound and
    /// covered ranges.
    ///
    /// Every store runs this before applying a batch, so one invalid change refuses the whole
    /// batch on any backend.
    ///
    /// ```swift
    /// try batch.validate(against: .participation, maxDriftMillis: 300_000, now: now)
    /// ```
    ///
    /// - Parameters:
    ///   - schema: The receiver's schema.
    ///   - maxDriftMillis: How far ahead of `now` a change may be stamped.
    ///   - now: The receiver's wall clock, Unix milliseconds.
    /// - Throws: ``SyncError`` with ``SyncError/Code/schemaMismatch``, ``SyncError/Code/clockDrift``
    ///   or ``SyncError/Code/invalidBatch``, naming the first change refused.
    public func validate(against schema: Schema, maxDriftMillis: Int64, now: Int64) throws {
        let batch = self
        let checker = HybridLogicalClock(last: .zero, maxDriftMillis: maxDriftMillis)
        for (index, change) in batch.changes.enumerated() {
            do {
                try Self.validate(change, schema: schema)
                try checker.check(change.timestamp, now: now, origin: change.origin)
            } catch let error as SyncError {
                throw SyncError(
                    error.code,
                    "change \(index) of the batch was refused, nothing applied: \(error.message)"
                )
            }
        }
        for range in batch.covered where range.after > range.through {
            throw SyncError(.invalidBatch, "the batch covers an empty range for \(range.origin); nothing applied")
        }
    }

    private static func validate(_ change: Change, schema: Schema) throws {
        if change.schemaVersion > schema.version { return try KeptFields.validate(change, schema: schema) }
        guard let table = schema.table(named: change.table) else {
            throw SyncError(.invalidBatch, "unknown table '\(change.table.prefix(40))'")
        }
        try ReplicaStore.validateRecordID(change.record, table: table.name)
        guard change.seq >= 1, change.seq < (1 << 62), !change.fields.isEmpty else {
            throw SyncError(.invalidBatch, "\(change.table) \(change.record) has no field or a bad sequence number")
        }
        for (name, field) in change.fields {
            guard let column = table.column(named: name) else {
                throw SyncError(.invalidBatch, "\(table.name) has no field '\(name.prefix(40))'")
            }
            try column.validate(field.value, in: table.name)
            if let context = field.context, context.entries.count > maxContextEntries {
                throw SyncError(
                    .invalidBatch,
                    "\(table.name).\(name) of \(change.record) names \(context.entries.count) origins in its causal "
                        + "context; at most \(maxContextEntries) are allowed"
                )
            }
            if column.rule.isCausal, !(field.context?.contains(change.dot) ?? false) {
                throw SyncError(
                    .invalidBatch,
                    "\(table.name).\(name) of \(change.record) lacks a causal context that includes its own write"
                )
            }
        }
    }
}
