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
    /// For each period asked for, the proposals created in it, per commune.
    public var createdPerPeriod: [[String: Int]] = []
}

extension ReplicaStore {
    /// The charts page's figures, each counted by one query, in one read transaction.
    ///
    /// ```swift
    /// let figures = try store.proposalStatistics(periods: weeks, top: 8)
    /// ```
    ///
    /// - Parameters:
    ///   - periods: The periods whose creations are counted per commune (Unix milliseconds, such
    ///     as the weeks a chart shows).
    ///   - top: How many of the most supported proposals to list.
    /// - Returns: The figures.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func proposalStatistics(periods: [Range<Int64>], top: Int) throws -> ProposalStatistics {
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
            figures.createdPerPeriod = Array(repeating: [:], count: periods.count)
            if !periods.isEmpty {
                let values = periods.indices.map { _ in "(?, ?, ?)" }.joined(separator: ", ")
                var arguments = StatementArguments()
                for (index, period) in periods.enumerated() {
                    arguments += [index, period.lowerBound, period.upperBound]
                }
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        WITH period(i, lo, hi) AS (VALUES \(values))
                        SELECT period.i, p.commune, count(*) FROM proposal p
                        JOIN period ON p.created_at >= period.lo AND p.created_at < period.hi
                        GROUP BY period.i, p.commune
                        """,
                    arguments: arguments
                ) {
                    figures.createdPerPeriod[row[0]][row[1] ?? ""] = row[2]
                }
            }
            return figures
        }
    }
}
