import GRDB

extension ReplicaStore {
    /// Records that a citizen supports a proposal (add-wins: an add concurrent with a remove wins).
    ///
    /// `citizen` is a pseudonymous identifier, never a name or a national id number: personal
    /// data is kept apart so that it can be erased.
    ///
    /// ```swift
    /// try store.addSupport(proposal: id, citizen: "c-0042")
    /// try store.supportCount(proposal: id)   // 1
    /// ```
    ///
    /// - Parameters:
    ///   - proposal: The proposal's id.
    ///   - citizen: The citizen's pseudonymous id (letters, digits, `-_.`, at most 64).
    /// - Throws: ``SyncError`` for a malformed id.
    public func addSupport(proposal: String, citizen: String) throws {
        try setMembership(
            table: "support",
            owner: ("proposal_id", proposal),
            member: ("citizen_id", citizen),
            present: true
        )
    }

    /// Withdraws a citizen's support; an add this replica has not seen survives.
    ///
    /// - Parameters:
    ///   - proposal: The proposal's id.
    ///   - citizen: The citizen's pseudonymous id.
    /// - Throws: ``SyncError`` for a malformed id.
    public func removeSupport(proposal: String, citizen: String) throws {
        try setMembership(
            table: "support",
            owner: ("proposal_id", proposal),
            member: ("citizen_id", citizen),
            present: false
        )
    }

    /// How many citizens support a proposal (derived from the set).
    ///
    /// - Parameter proposal: The proposal's id.
    /// - Returns: The count.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func supportCount(proposal: String) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM support WHERE proposal_id = ? AND present = 1",
                arguments: [proposal]
            ) ?? 0
        }
    }

    /// The citizens supporting a proposal, sorted.
    ///
    /// - Parameter proposal: The proposal's id.
    /// - Returns: Their pseudonymous ids.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func supporters(proposal: String) throws -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT citizen_id FROM support WHERE proposal_id = ? AND present = 1 ORDER BY citizen_id",
                arguments: [proposal]
            )
        }
    }

    /// Records a participant at an event (add-wins).
    ///
    /// - Parameters:
    ///   - event: The event's id.
    ///   - participant: The participant's pseudonymous id.
    /// - Throws: ``SyncError`` for a malformed id.
    public func addAttendance(event: String, participant: String) throws {
        try setMembership(
            table: "attendance",
            owner: ("event_id", event),
            member: ("participant_id", participant),
            present: true
        )
    }

    /// Removes a participant from an event (add-wins: a concurrent add survives).
    ///
    /// - Parameters:
    ///   - event: The event's id.
    ///   - participant: The participant's pseudonymous id.
    /// - Throws: ``SyncError`` for a malformed id.
    public func removeAttendance(event: String, participant: String) throws {
        try setMembership(
            table: "attendance",
            owner: ("event_id", event),
            member: ("participant_id", participant),
            present: false
        )
    }

    /// The participants recorded at an event, sorted; certificates derive from this list.
    ///
    /// - Parameter event: The event's id.
    /// - Returns: Their pseudonymous ids.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func attendees(event: String) throws -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT participant_id FROM attendance WHERE event_id = ? AND present = 1 ORDER BY participant_id",
                arguments: [event]
            )
        }
    }

    /// The record id of a set element: owner and member joined by `/`.
    static func membershipID(_ owner: String, _ member: String) -> String { "\(owner)/\(member)" }

    private func setMembership(
        table: String,
        owner: (column: String, id: String),
        member: (column: String, id: String),
        present: Bool
    ) throws {
        try RecordID.validate(owner.id, as: owner.column == "event_id" ? "event" : "proposal")
        let bytes = member.id.utf8
        guard (1...64).contains(bytes.count),
            bytes.allSatisfy({
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D
                    || $0 == 0x5F || $0 == 0x2E
            })
        else {
            throw SyncError(
                .invalidArgument,
                "'\(member.id.prefix(40))' is not a valid \(member.column.dropLast(3)) id; use 1 to 64 letters, digits, '-', '_' or '.'"
            )
        }
        let ownerTable = owner.column == "event_id" ? "event" : "proposal"
        let exists = try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM \(ownerTable) WHERE id = ?)", arguments: [owner.id])
                ?? false
        }
        guard exists else { throw SyncError(.recordNotFound, "no \(ownerTable) with id \(owner.id) on this replica") }
        try write([
            RecordWrite(
                table: table,
                record: Self.membershipID(owner.id, member.id),
                values: [owner.column: .text(owner.id), member.column: .text(member.id), "present": .bool(present)]
            )
        ])
    }
}
