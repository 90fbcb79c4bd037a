extension Schema {
    /// The statuses a proposal goes through.
    public static let proposalStatuses: Set<String> = ["submitted", "in-review", "accepted", "rejected", "done"]

    /// The kinds of participation event.
    public static let eventKinds: Set<String> = ["workshop", "school-visit", "think-tank"]

    /// The alignments of a comment with its proposal.
    public static let alignments: Set<String> = ["for", "neutral", "against"]

    /// The province's participation schema: its latest version (see ``participationHistory``).
    ///
    /// The merge rule of each field follows the design brief:
    /// - proposal: title, body, category, status, answer and place are multi-value registers;
    ///   commune, author and created-at are set once; withdrawn and hidden are last-writer-wins flags;
    /// - comment: proposal, parent, alignment, author and created-at are set once; the body is
    ///   last-writer-wins; deletion is a tombstone that erases the body and keeps a placeholder;
    /// - support and attendance: add-wins membership keyed by (proposal, citizen) and
    ///   (event, participant); counts are derived, never synced;
    /// - event: title, kind, date, venue, commune and capacity are last-writer-wins;
    /// - commune: the territory (see ``Territory``): province set once, names last-writer-wins.
    ///
    /// ```swift
    /// let store = try ReplicaStore(path: "replica.sqlite", schema: .participation)
    /// let first = Schema.participation.atVersion(1)   // what a replica not yet upgraded holds
    /// ```
    public static let participation = Schema(history: participationHistory)

    /// The history of the participation schema, one list of steps per version.
    ///
    /// - Version 1: proposal, comment, support, event and attendance.
    /// - Version 2: the place a proposal concerns (a douar or a neighbourhood), the capacity of
    ///   an event, and the territory as records (the `commune` table: each commune, its province
    ///   and its names in Arabic, French and Tamazight).
    ///
    /// A new version is a new element at the end; an element is never changed once released.
    public static let participationHistory: [[MigrationStep]] = [version1, version2]

    private static let version1: [MigrationStep] = [
        .addTable(
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
            )
        ),
        .addTable(
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
            )
        ),
        .addTable(
            ReplicatedTable(
                "support",
                columns: [
                    ReplicatedColumn("proposal_id", .text, .setOnce, maxBytes: 36),
                    ReplicatedColumn("citizen_id", .text, .setOnce, maxBytes: 64),
                    ReplicatedColumn("present", .boolean, .addWins),
                ],
                indexedColumns: ["proposal_id"]
            )
        ),
        .addTable(
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
            )
        ),
        .addTable(
            ReplicatedTable(
                "attendance",
                columns: [
                    ReplicatedColumn("event_id", .text, .setOnce, maxBytes: 36),
                    ReplicatedColumn("participant_id", .text, .setOnce, maxBytes: 64),
                    ReplicatedColumn("present", .boolean, .addWins),
                ],
                indexedColumns: ["event_id"]
            )
        ),
    ]

    private static let version2: [MigrationStep] = [
        .addColumn(ReplicatedColumn("place", .text, .multiValue, maxBytes: 200), to: "proposal"),
        .index("place", of: "proposal"),
        .addColumn(ReplicatedColumn("capacity", .integer, .lastWriterWins, range: 0...100_000), to: "event"),
        .addTable(
            ReplicatedTable(
                "commune",
                columns: [
                    ReplicatedColumn("province", .text, .setOnce, maxBytes: 64),
                    ReplicatedColumn("name_ar", .text, .lastWriterWins, maxBytes: 200),
                    ReplicatedColumn("name_fr", .text, .lastWriterWins, maxBytes: 200),
                    ReplicatedColumn("name_zgh", .text, .lastWriterWins, maxBytes: 200),
                    ReplicatedColumn("created_at", .integer, .setOnce),
                ],
                indexedColumns: ["province"]
            )
        ),
    ]
}
