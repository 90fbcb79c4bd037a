import GRDB

extension ReplicaStore {
    /// The deepest a comment thread goes: a comment, a reply, a reply to the reply.
    public static let maxThreadDepth = 3

    /// Adds a comment to a proposal, or a reply to a comment.
    ///
    /// ```swift
    /// let first = try store.addComment(proposal: id, body: "موافق", alignment: "for")
    /// let reply = try store.addComment(proposal: id, body: "Pourquoi ?", parent: first)
    /// ```
    ///
    /// - Parameters:
    ///   - proposal: The proposal's id.
    ///   - body: The text.
    ///   - parent: The comment answered, if any.
    ///   - alignment: for, neutral or against.
    ///   - author: Who writes it.
    /// - Returns: The new comment's id.
    /// - Throws: ``SyncError`` when the proposal or parent is unknown, or the thread would be
    ///   deeper than ``maxThreadDepth``.
    @discardableResult
    public func addComment(
        proposal: String,
        body: String,
        parent: String? = nil,
        alignment: String = "neutral",
        author: String? = nil
    ) throws -> String {
        try RecordID.validate(proposal, as: "proposal")
        try Self.requireText(body, "comment")
        guard try self.proposal(proposal) != nil else {
            throw SyncError(.recordNotFound, "no proposal with id \(proposal) on this replica")
        }
        var depth = 1
        if let parent {
            try RecordID.validate(parent, as: "comment")
            guard let parentComment = try comment(parent), parentComment.proposalID == proposal else {
                throw SyncError(.recordNotFound, "no comment \(parent) under proposal \(proposal)")
            }
            depth = parentComment.depth + 1
            guard depth <= Self.maxThreadDepth else {
                throw SyncError(
                    .invalidArgument,
                    "threads go \(Self.maxThreadDepth) levels deep; answer comment \(parentComment.parentID ?? parent) instead"
                )
            }
        }
        let id = RecordID.make(millis: wallClock())
        var values: [String: FieldValue] = [
            "proposal_id": .text(proposal), "depth": .integer(Int64(depth)), "alignment": .text(alignment),
            "created_at": .integer(wallClock()), "body": .text(body),
        ]
        if let parent { values["parent_id"] = .text(parent) }
        if let author { values["author"] = .text(author) }
        try write([RecordWrite(table: "comment", record: id, values: values, isNew: true)])
        return id
    }

    /// Edits a comment's body; only its author may.
    ///
    /// - Parameters:
    ///   - id: The comment's id.
    ///   - body: The new text.
    ///   - author: Who edits; must be the comment's author when it has one.
    /// - Throws: ``SyncError`` when the comment is unknown, deleted, or not the author's.
    public func editComment(_ id: String, body: String, author: String? = nil) throws {
        try RecordID.validate(id, as: "comment")
        try Self.requireText(body, "comment")
        guard let existing = try comment(id) else {
            throw SyncError(.recordNotFound, "no comment with id \(id) on this replica")
        }
        guard !existing.isDeleted else {
            throw SyncError(.invalidArgument, "comment \(id) was deleted; it can no longer be edited")
        }
        if let owner = existing.author, owner != author {
            throw SyncError(.forbidden, "comment \(id) can be edited only by its author, '\(owner)'")
        }
        try write([RecordWrite(table: "comment", record: id, values: ["body": .text(body)], mustExist: true)])
    }

    /// Deletes a comment: its body is erased everywhere and a placeholder keeps its replies in place.
    ///
    /// - Parameter id: The comment's id.
    /// - Throws: ``SyncError`` when the comment is unknown.
    public func deleteComment(_ id: String) throws {
        try RecordID.validate(id, as: "comment")
        try write([RecordWrite(table: "comment", record: id, values: ["deleted": .bool(true)], mustExist: true)])
    }

    /// One comment, or `nil` when unknown.
    ///
    /// - Parameter id: The comment's id.
    /// - Returns: The comment.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func comment(_ id: String) throws -> Comment? {
        try read { db in try Self.fetchComments(db, filter: "WHERE id = ?", arguments: [id]).first }
    }

    /// A proposal's thread, in reading order: each comment followed by its replies, oldest first.
    ///
    /// - Parameter proposal: The proposal's id.
    /// - Returns: The comments, deleted ones as placeholders.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func comments(proposal: String) throws -> [Comment] {
        let all = try read { db in try Self.fetchComments(db, filter: "WHERE proposal_id = ?", arguments: [proposal]) }
        let children = Dictionary(grouping: all) { $0.parentID ?? "" }
        let known = Set(all.map(\.id))
        var ordered: [Comment] = []
        func visit(_ parent: String) {
            for comment in children[parent] ?? [] {
                ordered.append(comment)
                visit(comment.id)
            }
        }
        visit("")
        for comment in all where comment.parentID.map({ !known.contains($0) }) ?? false {
            ordered.append(comment)
            visit(comment.id)
        }
        return ordered
    }

    private static func fetchComments(_ db: Database, filter: String, arguments: StatementArguments) throws -> [Comment]
    {
        try Row.fetchAll(db, sql: "SELECT * FROM comment \(filter) ORDER BY created_at, id", arguments: arguments).map {
            row in
            Comment(
                id: row["id"],
                proposalID: row["proposal_id"] ?? "",
                parentID: row["parent_id"],
                depth: row["depth"] ?? 1,
                alignment: row["alignment"] ?? "neutral",
                author: row["author"],
                createdAt: row["created_at"] ?? 0,
                body: row["body"],
                isDeleted: (row["deleted"] as Int64?) == 1
            )
        }
    }
}
