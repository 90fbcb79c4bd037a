import Foundation
import GRDB

/// Which proposals a list shows, and which page of them: the filters of the coordinators' and
/// the clerks' lists, answered by the database.
public struct ProposalQuery: Sendable, Hashable {
    /// Only this commune's.
    public var commune: String?
    /// Only this status.
    public var status: String?
    /// Only this category.
    public var category: String?
    /// Words of the place, case and diacritics ignored.
    public var place: String?
    /// Created at or after this time, Unix milliseconds.
    public var createdFrom: Int64?
    /// Created before this time, Unix milliseconds.
    public var createdBefore: Int64?
    /// Words of the title, body, answer or id, case and diacritics ignored.
    public var search: String?
    /// How many matching proposals to skip, newest first.
    public var offset = 0
    /// The most to return (0 counts them only).
    public var limit = 20

    /// Every proposal, the first `limit` of them.
    public init() {}
}

/// One page of a list: the proposals of the page, and how many match in all.
public struct ProposalPage: Sendable, Hashable {
    /// How many proposals match the filters.
    public var total: Int
    /// The page's proposals, newest first.
    public var proposals: [Proposal]
}

extension ReplicaStore {
    /// The proposals that match a query, one page of them, with the count of all that match.
    ///
    /// The filters, the count and the page are answered by SQLite: a page costs the rows it
    /// shows, plus a scan for the count, and never loads the other proposals.
    ///
    /// ```swift
    /// var query = ProposalQuery()
    /// query.commune = "tamanar"
    /// query.search = "eclairage"            // matches « Éclairage »
    /// let page = try store.proposals(matching: query)
    /// ```
    ///
    /// - Parameter query: The filters and the page.
    /// - Returns: The page and the total.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func proposals(matching query: ProposalQuery) throws -> ProposalPage {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        for (column, value) in [("commune", query.commune), ("status", query.status), ("category", query.category)] {
            guard let value else { continue }
            clauses.append("p.\(column) = ?")
            arguments += [value]
        }
        if let place = query.place {
            guard hasPlace else { return ProposalPage(total: 0, proposals: []) }
            clauses.append("instr(\(Self.foldName)(p.place), \(Self.foldName)(?)) > 0")
            arguments += [place]
        }
        if let from = query.createdFrom {
            clauses.append("p.created_at >= ?")
            arguments += [from]
        }
        if let before = query.createdBefore {
            clauses.append("p.created_at < ?")
            arguments += [before]
        }
        if let search = query.search {
            let columns = ["p.title", "p.body", "p.answer", "p.id"]
            clauses.append(
                "("
                    + columns.map { "instr(\(Self.foldName)(\($0)), \(Self.foldName)(?)) > 0" }.joined(
                        separator: " OR "
                    )
                    + ")"
            )
            arguments += StatementArguments(Array(repeating: search, count: columns.count))
        }
        let filter = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        return try read { db in
            let total =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM proposal p \(filter)", arguments: arguments) ?? 0
            guard query.limit > 0 else { return ProposalPage(total: total, proposals: []) }
            var paged = arguments
            paged += [max(0, query.limit), max(0, query.offset)]
            let proposals = try fetchProposals(db, filter: filter, arguments: paged, suffix: "LIMIT ? OFFSET ?")
            return ProposalPage(total: total, proposals: proposals)
        }
    }

    /// The categories the proposals name, sorted.
    ///
    /// - Returns: The distinct categories.
    /// - Throws: ``SyncError`` when the database cannot be read.
    public func proposalCategories() throws -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: "SELECT DISTINCT category FROM proposal WHERE category IS NOT NULL ORDER BY category"
            )
        }
    }
}
