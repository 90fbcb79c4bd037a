extension Schema {
    /// The communes of the province that take part.
    public static let communes: Set<String> = ["essaouira", "ounagha", "tamanar"]

    /// The statuses a proposal goes through.
    public static let proposalStatuses: Set<String> = ["submitted", "in-review", "accepted", "rejected", "done"]

    /// The kinds of participation event.
    public static let eventKinds: Set<String> = ["workshop", "school-visit", "think-tank"]

    /// The alignments of a comment with its proposal.
    public static let alignments: Set<String> = ["for", "neutral", "against"]

    /// The province's participation schema: proposal, comment, support, event and attendance.
    ///
    /// The merge rule of each field follows the design brief:
    /// - proposal: title, body, category, status and answer are multi-value registers; commune,
    ///   author and created-at are set once; withdrawn and hidden are last-writer-wins flags;
    /// - comment: proposal, parent, alignment, author and created-at are set once; the body is
    ///   last-writer-wins; deletion is a tombstone that erases the body and keeps a placeholder;
    /// - support and attendance: add-wins membership keyed by (proposal, citizen) and
    ///   (event, participant); counts are derived, never synced;
    /// - event: title, kind, date, venue and commune are last-writer-wins.
    ///
    /// ```swift
    /// let store = try ReplicaStore(path: "replica.sqlite", schema: .participation)
    /// ```
    public static let participation = Schema(
        version: 1,
        tables: [
            ReplicatedTable(
                "proposal",
                columns: [
                    ReplicatedColumn("title", .text, .multiValue, maxBytes: 1_000),
                    ReplicatedColumn("body", .text, .multiValue, maxBytes: 20_000),
                    ReplicatedColumn("category", .text, .multiValue, maxBytes: 200),
                    ReplicatedColumn("status", .text, .multiValue, allowed: proposalStatuses),
                    ReplicatedColumn("answer", .text, .multiValue, maxBytes: 20_000),
                    ReplicatedColumn("commune", .text, .setOnce, maxBytes: 64),
                    ReplicatedColumn("author", .text, .setOnce, maxBytes: 200),
                    ReplicatedColumn("created_at", .integer, .setOnce),
                    ReplicatedColumn("withdrawn", .boolean, .lastWriterWins),
                    ReplicatedColumn("hidden", .boolean, .lastWriterWins),
                ],
                indexedColumns: ["commune"]
            ),
            ReplicatedTable(
                "comment",
                columns: [
                    ReplicatedColumn("proposal_id", .text, .setOnce, maxBytes: 36),
                    ReplicatedColumn("parent_id", .text, .setOnce, maxBytes: 36),
                    ReplicatedColumn("depth", .integer, .setOnce, range: 1...3),
                    ReplicatedColumn("alignment", .text, .setOnce, allowed: alignments),
                    ReplicatedColumn("author", .text, .setOnce, maxBytes: 200),
                    ReplicatedColumn("created_at", .integer, .setOnce),
                    ReplicatedColumn("body", .text, .lastWriterWins, maxBytes: 10_000, erasedByTombstone: true),
                    ReplicatedColumn("deleted", .boolean, .tombstone),
                ],
                tombstoneColumn: "deleted",
                indexedColumns: ["proposal_id"]
            ),
            ReplicatedTable(
                "support",
                columns: [
                    ReplicatedColumn("proposal_id", .text, .setOnce, maxBytes: 36),
                    ReplicatedColumn("citizen_id", .text, .setOnce, maxBytes: 64),
                    ReplicatedColumn("present", .boolean, .addWins),
                ],
                indexedColumns: ["proposal_id"]
            ),
            ReplicatedTable(
                "event",
                columns: [
                    ReplicatedColumn("title", .text, .lastWriterWins, maxBytes: 1_000),
                    ReplicatedColumn("kind", .text, .lastWriterWins, allowed: eventKinds),
                    ReplicatedColumn("date", .text, .lastWriterWins, maxBytes: 10),
                    ReplicatedColumn("venue", .text, .lastWriterWins, maxBytes: 500),
                    ReplicatedColumn("commune", .text, .lastWriterWins, maxBytes: 64),
                    ReplicatedColumn("created_at", .integer, .setOnce),
                ]
            ),
            ReplicatedTable(
                "attendance",
                columns: [
                    ReplicatedColumn("event_id", .text, .setOnce, maxBytes: 36),
                    ReplicatedColumn("participant_id", .text, .setOnce, maxBytes: 64),
                    ReplicatedColumn("present", .boolean, .addWins),
                ],
                indexedColumns: ["event_id"]
            ),
        ]
    )
}
