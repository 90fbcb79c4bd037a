extension ChangeBatch {
    /// The most changes a batch holds: a sender's limit, and what a receiver accepts.
    public static let maxChanges = 5_000

    /// The most origins a causal context may name.
    ///
    /// A context names the writers that had seen the field, transitively: a handful in practice.
    /// The bound keeps one change from carrying a vector as large as the whole network's.
    public static let maxContextEntries = 1_024

    /// Checks what the batch claims about writes against what the receiver holds: every node
    /// that accepts changes runs it, in the transaction that applies them, before anything is
    /// written.
    ///
    /// A batch is a sender's statement about writes. Three of its claims could hide or break
    /// writes of others if they were lies, and each is checked against what the receiver can
    /// know:
    ///
    /// - **Causal contexts.** A context says which writes of a field its writer had seen; every
    ///   write it names is superseded by it. An entry for another origin may name only a write
    ///   that the receiver holds (its vector) or that the same batch brings (a change of that
    ///   origin, or a covered range of it). A context claiming writes nobody made would hide that
    ///   origin's later writes to the field, for good.
    /// - **The write's own origin.** A context's entry for the change's own origin is the
    ///   change's own sequence number: a writer has not seen its own later writes.
    /// - **The receiver's own identity.** A change or a covered range of the receiver's own
    ///   origin above what it has written is a copy of its database or a forgery: the receiver
    ///   would otherwise take it for its own past and reuse or skip sequence numbers.
    ///
    /// Covered ranges of other origins are statements about that origin's log that no receiver
    /// can check beyond what it holds (their tail may be superseded writes that are never sent);
    /// a server accepts them only from the enrollment that the origin is bound to (see
    /// ``OriginAdmission``).
    ///
    /// ```swift
    /// try batch.checkClaims(receiver: store.replicaID, ownSequence: seq, vector: try store.vector())
    /// ```
    ///
    /// - Parameters:
    ///   - receiver: The receiving replica's identity.
    ///   - ownSequence: The last sequence number the receiver has written under that identity.
    ///   - vector: What the receiver holds.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidBatch`` naming the first false claim;
    ///   nothing of the batch is to be applied then.
    public func checkClaims(receiver: ReplicaID, ownSequence: UInt64, vector: VersionVector) throws {
        var brought: [ReplicaID: UInt64] = [:]
        for range in covered {
            if range.origin == receiver && range.through > ownSequence {
                throw Self.ownIdentityClaim(receiver, seq: range.through, written: ownSequence, what: "a covered range")
            }
            brought[range.origin] = max(brought[range.origin] ?? 0, range.through)
        }
        for change in changes { brought[change.origin] = max(brought[change.origin] ?? 0, change.seq) }
        for (index, change) in changes.enumerated() {
            if change.origin == receiver && change.seq > ownSequence {
                throw Self.ownIdentityClaim(receiver, seq: change.seq, written: ownSequence, what: "change \(index)")
            }
            for (name, field) in change.fields {
                guard let context = field.context else { continue }
                for (origin, seq) in context.entries {
                    if origin == change.origin {
                        guard seq == change.seq else {
                            throw SyncError(
                                .invalidBatch,
                                "change \(index) of the batch (\(change.table) \(change.record)) claims in the context "
                                    + "of '\(name)' that its writer \(origin) had seen its own write \(seq), after "
                                    + "this one (\(change.seq)); nothing applied"
                            )
                        }
                        continue
                    }
                    let known = max(vector[origin], brought[origin] ?? 0)
                    guard seq <= known else {
                        throw SyncError(
                            .invalidBatch,
                            "change \(index) of the batch (\(change.table) \(change.record)) claims in the context "
                                + "of '\(name)' to have seen write \(seq) of \(origin), but this node holds that "
                                + "origin up to \(vector[origin]) and the batch brings it up to \(brought[origin] ?? 0); "
                                + "a context may name only writes that exist; nothing applied"
                        )
                    }
                }
            }
        }
    }

    private static func ownIdentityClaim(_ receiver: ReplicaID, seq: UInt64, written: UInt64, what: String) -> SyncError
    {
        SyncError(
            .invalidBatch,
            "\(what) of the batch claims write \(seq) of this replica's own identity \(receiver), which has "
                + "written \(written): the batch comes from a copy of this database or is forged; nothing applied"
        )
    }
}
