import GRDB

extension ReplicaStore {
    /// Creates a proposal.
    ///
    /// ```swift
    /// let id = try store.createProposal(ProposalDraft(title: "…", body: "…", commune: "ounagha"))
    /// ```
    ///
    /// - Parameter draft: What the proposal says.
    /// - Returns: The new proposal's id.
    /// - Throws: ``SyncError`` for an empty title or body or an unknown commune.
    @discardableResult
    public func createProposal(_ draft: ProposalDraft) throws -> String {
        try Self.requireText(draft.title, "title")
        try Self.requireText(draft.body, "body")
        try requireCommune(draft.commune)
        let id = RecordID.make(millis: wallClock())
        var values: [String: FieldValue] = [
            "title": .text(draft.title), "body": .text(draft.body), "status": .text("submitted"),
            "commune": .text(draft.commune), "created_at": .integer(wallClock()),
        ]
        if let category = draft.category { values["category"] = .text(category) }
        if let author = draft.author { values["author"] = .text(author) }
        if let place = draft.place { values["place"] = .text(place) }
        try write([RecordWrite(table: "proposal", record: id, values: values, isNew: true)])
        return id
    }

    /// Creates many proposals in one transaction (a CSV import): all or none.
    ///
    /// - Parameter drafts: The proposals.
    /// - Returns: Their ids, in order.
    /// - Throws: ``SyncError`` naming the first invalid draft (1-based); nothing is written then.
    @discardableResult
    public func createProposals(_ drafts: [ProposalDraft]) throws -> [String] {
        var writes: [RecordWrite] = []
        let now = wallClock()
        for (index, draft) in drafts.enumerated() {
            do {
                try Self.requireText(draft.title, "title")
                try Self.requireText(draft.body, "body")
                try requireCommune(draft.commune)
            } catch let error as SyncError {
                throw SyncError(error.code, "proposal \(index + 1): \(error.message)")
            }
            var values: [String: FieldValue] = [
                "title": .text(draft.title), "body": .text(draft.body), "status": .text("submitted"),
                "commune": .text(draft.commune), "created_at": .integer(now),
            ]
            if let category = draft.category { values["category"] = .text(category) }
            if let author = draft.author { values["author"] = .text(author) }
            if let place = draft.place { values["place"] = .text(place) }
            let id = RecordID.make(millis: now)
            writes.append(RecordWrite(table: "proposal", record: id, values: values, isNew: true))
        }
        try write(writes)
        return writes.map(\.record)
    }

    /// Edits a proposal's title, body, category, status or answer.
    ///
    /// The edit supersedes every value this replica has seen of those fields, so it also
    /// resolves their open conflicts.
    ///
    /// - Parameters:
    ///   - id: The proposal's id.
    ///   - edit: The fields to change.
    /// - Throws: ``SyncError`` when the proposal is unknown or a value is invalid.
    public func editProposal(_ id: String, _ edit: ProposalEdit) throws {
        try RecordID.validate(id, as: "proposal")
        let values = edit.values
        guard !values.isEmpty else {
            throw SyncError(
                .invalidArgument,
                "nothing to change: give a title, body, category, status, answer or place"
            )
        }
        if let title = edit.title { try Self.requireText(title, "title") }
        if let body = edit.body { try Self.requireText(body, "body") }
        try write([RecordWrite(table: "proposal", record: id, values: values, mustExist: true)])
    }

    /// Marks a proposal withdrawn by its author.
    ///
    /// - Parameters:
    ///   - id: The proposal's id.
    ///   - withdrawn: `false` to undo.
    /// - Throws: ``SyncError`` when the proposal is unknown.
    public func withdrawProposal(_ id: String, withdrawn: Bool = true) throws {
        try RecordID.validate(id, as: "proposal")
        try write([RecordWrite(table: "proposal", record: id, values: ["withdrawn": .bool(withdrawn)], mustExist: true)]
        )
    }

    /// Hides or shows a proposal (moderation).
    ///
    /// - Parameters:
    ///   - id: The proposal's id.
    ///   - hidden: Whether it is hidden.
    /// - Throws: ``SyncError`` when the proposal is unknown.
    public func setProposalHidden(_ id: String, hidden: Bool) throws {
        try RecordID.validate(id, as: "proposal")
        try write([RecordWrite(table: "proposal", record: id, values: ["hidden": .bool(hidden)], mustExist: true)])
    }

    /// One proposal, or `nil` when unknown here.
    ///
    /// - Parameter id: The proposal's id.
    /// - Returns: The merged proposal.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func proposal(_ id: String) throws -> Proposal? {
        try read { db in
            try fetchProposals(db, filter: "WHERE p.id = ?", arguments: [id]).first
        }
    }

    /// All proposals, newest first.
    ///
    /// - Parameter commune: Only those of this commune, when given.
    /// - Returns: The merged proposals.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func proposals(commune: String? = nil) throws -> [Proposal] {
        try read { db in
            if let commune {
                return try fetchProposals(db, filter: "WHERE p.commune = ?", arguments: [commune])
            }
            return try fetchProposals(db, filter: "", arguments: [])
        }
    }

    func fetchProposals(
        _ db: Database,
        filter: String,
        arguments: StatementArguments,
        suffix: String = ""
    ) throws -> [Proposal] {
        let sql = """
            SELECT p.id, p.title, p.body, p.category, p.status, p.answer, p.commune, p.author, p.created_at,
                   p.withdrawn, p.hidden, \(hasPlace ? "p.place" : "NULL AS place"),
                   (SELECT count(*) FROM support s WHERE s.proposal_id = p.id AND s.present = 1) AS supports,
                   (SELECT group_concat(DISTINCT c.col) FROM crdt_conflict c
                     WHERE c.tbl = 'proposal' AND c.row_id = p.id) AS conflicts
            FROM proposal p \(filter)
            ORDER BY p.created_at DESC, p.id DESC \(suffix)
            """
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            var proposal = Self.proposal(row)
            proposal.place = row["place"]
            return proposal
        }
    }

    /// Whether this store's schema has the place of a proposal (version 2 on).
    var hasPlace: Bool { schema.table(named: "proposal")?.column(named: "place") != nil }

    private static func proposal(_ row: Row) -> Proposal {
        Proposal(
            id: row["id"],
            title: row["title"] ?? "",
            body: row["body"] ?? "",
            category: row["category"],
            status: row["status"] ?? "submitted",
            answer: row["answer"],
            commune: row["commune"] ?? "",
            author: row["author"],
            createdAt: row["created_at"] ?? 0,
            isWithdrawn: (row["withdrawn"] as Int64?) == 1,
            isHidden: (row["hidden"] as Int64?) == 1,
            supportCount: row["supports"],
            conflictingFields: ((row["conflicts"] as String?) ?? "").split(separator: ",").map(String.init).sorted()
        )
    }

    // MARK: - Validation helpers

    static func requireText(_ text: String, _ field: String) throws {
        guard !text.allSatisfy(\.isWhitespace) else {
            throw SyncError(.invalidArgument, "the \(field) is empty; write some text")
        }
    }

}
