import GRDB

extension ReplicaStore {
    /// The default number of records in a batch.
    public static let defaultBatchLimit = 500

    /// The changes this replica has and a peer with vector `since` lacks, at most `limit` records.
    ///
    /// Field values are read from the current rows: a field that a later write superseded is not
    /// sent, and the batch's ``ChangeBatch/covered`` ranges let the receiver's vector move past
    /// such gaps. Batches are ordered by origin and sequence, so the next call, made with the
    /// receiver's new vector, resumes where this one stopped. The cost follows the delta: one
    /// index range scan of the change log per origin the peer lags on.
    ///
    /// ```swift
    /// var batch: ChangeBatch
    /// repeat {
    ///     batch = try hub.changes(since: try laptop.vector(), limit: 500)
    ///     try laptop.apply(batch)
    /// } while !batch.isComplete
    /// ```
    ///
    /// - Parameters:
    ///   - since: What the receiver already has.
    ///   - limit: The most records to include.
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func changes(since: VersionVector, limit: Int = ReplicaStore.defaultBatchLimit) throws -> ChangeBatch {
        try changes(since: since, limit: limit, excluding: [])
    }

    /// The changes a peer with vector `since` lacks, leaving out some origins.
    ///
    /// A hub refuses, from a replica, changes whose origin belongs to another commune; the
    /// replica leaves those origins out (no change and no covered range of theirs is sent).
    ///
    /// ```swift
    /// let batch = try store.changes(since: hubVector, limit: 500, excluding: foreignOrigins)
    /// ```
    ///
    /// - Parameters:
    ///   - since: What the receiver already has.
    ///   - limit: The most records to include.
    ///   - excluding: Origins to leave out.
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func changes(since: VersionVector, limit: Int, excluding: Set<ReplicaID>) throws -> ChangeBatch {
        try changes(since: since, limit: limit, filter: excluding.isEmpty ? .all : .excluding(excluding))
    }

    /// The changes a peer with vector `since` lacks, of the origins a filter admits.
    ///
    /// Origins the filter refuses get neither changes nor covered ranges, so the receiver's vector
    /// never moves over them; ``ChangeBatch/isComplete`` says whether more of the admitted origins
    /// remain. A national hub answers a relay's pulls this way, with its province's origins only.
    ///
    /// ```swift
    /// let batch = try hub.changes(since: relayVector, limit: 500, filter: .only(provinceOrigins))
    /// ```
    ///
    /// - Parameters:
    ///   - since: What the receiver already has.
    ///   - limit: The most records to include.
    ///   - filter: The origins that may be sent.
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func changes(since: VersionVector, limit: Int, filter: OriginFilter) throws -> ChangeBatch {
        precondition(limit > 0, "a batch limit must be positive")
        return try read { db in
            var assembler = BatchAssembler(
                vector: try VectorTable.load(db),
                since: since,
                limit: limit,
                filter: filter,
                schemaVersion: schema.version
            )
            while let scan = assembler.nextScan() { assembler.record(try scanLog(db, scan)) }
            return assembler.batch
        }
    }

    /// Reads the log of one origin over `after < seq <= through`, at most `limit` entries; with a
    /// `scope`, sends only the changes to records that one of the scope's origins wrote.
    private func scanLog(_ db: Database, _ scan: BatchAssembler.Scan) throws -> BatchAssembler.Found {
        let statement = try db.cachedStatement(
            sql:
                "SELECT seq, tbl, row_id, schema FROM crdt_log WHERE origin = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?"
        )
        var found = BatchAssembler.Found(coveredThrough: scan.through)
        var lastSeq = scan.after
        let arguments: StatementArguments = [scan.origin.rawValue, Int64(scan.after), Int64(scan.through), scan.limit]
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let entry = try rows.next() {
            let seq = UInt64(entry[0] as Int64)
            lastSeq = seq
            found.scanned += 1
            let table: String = entry[1]
            if let scope = scan.scope, try !isWritten(db, table: table, record: entry[2], byAnyOf: scope) {
                continue
            }
            let dot = Dot(origin: scan.origin, seq: seq)
            if let change = try rebuiltChange(db, table: table, record: entry[2], dot: dot, schemaVersion: entry[3]) {
                found.changes.append(change)
            }
        }
        if found.scanned == scan.limit { found.coveredThrough = lastSeq }
        return found
    }

    /// Whether one of `origins` wrote a record (the log's index by record answers it).
    private func isWritten(
        _ db: Database,
        table: String,
        record: String,
        byAnyOf origins: Set<ReplicaID>
    ) throws
        -> Bool
    {
        let statement = try db.cachedStatement(sql: "SELECT DISTINCT origin FROM crdt_log WHERE tbl = ? AND row_id = ?")
        let writers = try String.fetchCursor(statement, arguments: [table, record])
        while let writer = try writers.next() {
            if origins.contains(ReplicaID(validated: writer)) { return true }
        }
        return false
    }

    /// Rebuilds the change `dot` made to a record from what the record still holds of it.
    func readChange(
        _ db: Database,
        table: ReplicatedTable,
        record: String,
        dot: Dot,
        schemaVersion: Int
    ) throws -> Change? {
        let access = RowAccess(db: db, table: table)
        let row = try access.load(record)
        var fields: [String: FieldChange] = [:]
        var timestamp: HybridTimestamp?
        var hasExtras = false
        for (position, meta) in row.meta.fields.enumerated() {
            guard let meta else { continue }
            hasExtras = hasExtras || meta.extraCount > 0
            if meta.dot == dot {
                fields[table.columnName(at: position)] = FieldChange(value: row.values[position], context: meta.context)
                timestamp = meta.timestamp
            }
        }
        if hasExtras {
            let statement = try db.cachedStatement(
                sql: """
                    SELECT col, origin, seq, hlc, ctx, value FROM crdt_conflict
                    WHERE tbl = ? AND row_id = ? AND origin = ? AND seq = ?
                    """
            )
            let rows = try Row.fetchCursor(
                statement,
                arguments: [table.name, record, dot.origin.rawValue, Int64(dot.seq)]
            )
            while let row = try rows.next() {
                let write = try RowAccess.write(fromConflictRow: row, table: table.name, record: record)
                fields[row["col"]] = FieldChange(value: write.value, context: write.context)
                timestamp = write.timestamp
            }
        }
        guard let timestamp, !fields.isEmpty else { return nil }
        return Change(
            table: table.name,
            record: record,
            origin: dot.origin,
            seq: dot.seq,
            timestamp: timestamp,
            schemaVersion: schemaVersion,
            fields: fields
        )
    }
}
