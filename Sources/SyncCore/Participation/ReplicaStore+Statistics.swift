import GRDB

/// The figures of the coordinators' charts page, counted by the database.
public struct ProposalStatistics: Sendable, Hashable {
    /// A proposal among the most supported.
    public struct Supported: Sendable, Hashable {
        /// Its id.
        public var id: String
        /// Its title.
        public var title: String
        /// Its supports.
        public var supports: Int

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - id: The proposal's id.
        ///   - title: Its title.
        ///   - supports: Its supports.
        public init(id: String, title: String, supports: Int) {
            self.id = id
            self.title = title
            self.supports = supports
        }
    }

    /// A proposal created in the period asked for.
    public struct Created: Sendable, Hashable {
        /// When, Unix milliseconds.
        public var createdAt: Int64
        /// Its commune.
        public var commune: String
    }

    /// Every proposal.
    public var total = 0
    /// Every support still given.
    public var supports = 0
    /// Proposals with an official answer.
    public var answered = 0
    /// Proposals with an open conflict.
    public var contested = 0
    /// Proposals per commune, then per status.
    public var byCommuneAndStatus: [String: [String: Int]] = [:]
    /// Supports per commune of the supported proposal.
    public var supportsByCommune: [String: Int] = [:]
    /// The most supported proposals, most first (newest first among equals); none without support.
    public var mostSupported: [Supported] = []
    /// The proposals created since the time asked for, newest first.
    public var created: [Created] = []
}

extension ReplicaStore {
    /// The charts page's figures, each counted by one query, in one read transaction.
    ///
    /// ```swift
    /// let figures = try store.proposalStatistics(createdSince: twelveWeeksAgo, top: 8)
    /// ```
    ///
    /// - Parameters:
    ///   - since: The start of the period whose creations are listed, Unix milliseconds.
    ///   - top: How many of the most supported proposals to list.
    /// - Returns: The figures.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func proposalStatistics(createdSince since: Int64, top: Int) throws -> ProposalStatistics {
        try read { db in
            var figures = ProposalStatistics()
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM proposal),
                           (SELECT count(*) FROM support s JOIN proposal p ON p.id = s.proposal_id WHERE s.present = 1),
                           (SELECT count(*) FROM proposal WHERE answer IS NOT NULL),
                           (SELECT count(DISTINCT row_id) FROM crdt_conflict c
                             WHERE c.tbl = 'proposal' AND c.row_id IN (SELECT id FROM proposal))
                    """
            )
            if let row {
                (figures.total, figures.supports, figures.answered, figures.contested) = (
                    row[0], row[1], row[2], row[3]
                )
            }
            for row in try Row.fetchAll(
                db,
                sql: "SELECT commune, status, count(*) FROM proposal GROUP BY commune, status"
            ) {
                figures.byCommuneAndStatus[row[0] ?? "", default: [:]][row[1] ?? "submitted"] = row[2]
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT p.commune, count(*) FROM support s JOIN proposal p ON p.id = s.proposal_id
                    WHERE s.present = 1 GROUP BY p.commune
                    """
            ) {
                figures.supportsByCommune[row[0] ?? ""] = row[1]
            }
            figures.mostSupported = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.id, p.title, count(*) AS n FROM support s JOIN proposal p ON p.id = s.proposal_id
                    WHERE s.present = 1 GROUP BY p.id ORDER BY n DESC, p.created_at DESC, p.id DESC LIMIT ?
                    """,
                arguments: [max(0, top)]
            ).map { ProposalStatistics.Supported(id: $0[0], title: $0[1] ?? "", supports: $0[2]) }
            figures.created = try Row.fetchAll(
                db,
                sql: """
                    SELECT created_at, commune FROM proposal WHERE created_at >= ?
                    ORDER BY created_at DESC, id DESC
                    """,
                arguments: [since]
            ).map { ProposalStatistics.Created(createdAt: $0[0] ?? 0, commune: $0[1] ?? "") }
            return figures
        }
    }
}
