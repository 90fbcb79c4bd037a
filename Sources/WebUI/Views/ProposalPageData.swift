import Foundation
package import SyncCore

/// Everything a proposal's page shows, read from one replica.
package struct ProposalPageData: Sendable {
    package var proposal: Proposal
    package var comments: [Comment]
    package var conflicts: [FieldConflict]
    package var history: [HistoryEntry]

    /// Reads a proposal's page.
    ///
    /// - Parameters:
    ///   - id: The proposal's id.
    ///   - store: The replica.
    /// - Returns: The data.
    /// - Throws: ``WebError/notFound`` for an unknown or malformed id; ``SyncError`` from the store.
    package static func load(_ id: String, store: ReplicaStore) throws -> ProposalPageData {
        guard (try? RecordID.validate(id, as: "proposal")) != nil, let proposal = try store.proposal(id) else {
            throw WebError.notFound
        }
        return ProposalPageData(
            proposal: proposal,
            comments: try store.comments(proposal: id),
            conflicts: try FieldConflict.load(proposal, store: store),
            history: try store.history(table: "proposal", record: id)
        )
    }
}

/// Every open conflict of the replica, one line each, linking to its proposal.
package enum ConflictListView {
    /// The list.
    ///
    /// - Parameters:
    ///   - conflicts: The open conflicts.
    ///   - titles: Proposal id → title.
    ///   - page: The page context.
    /// - Returns: The list, or a line saying there is none.
    package static func render(_ conflicts: [Conflict], titles: [String: String], page: PageContext) -> HTML {
        guard !conflicts.isEmpty else {
            return "<section class=\"card\"><p class=\"empty\">\(page(.noConflicts))</p></section>"
        }
        let rows = conflicts.map { conflict -> HTML in
            let values = ([conflict.shown] + conflict.others).map { value -> String in
                let text = value.text ?? value.description
                return conflict.field == "status" ? Vocabulary.name(text, page.language) : String(text.prefix(80))
            }
            let list = HTML(values.map { "<li dir=\"auto\">\($0)</li>" })
            return """
                <tr><td data-label="\(page(.title))"><a class="title" dir="auto" href="/proposals/\(conflict.record)#conflicts">\
                \(titles[conflict.record] ?? conflict.record)</a></td>\
                <td data-label="\(page(.field))">\(Vocabulary.field(conflict.field, page.language))</td>\
                <td data-label="\(page(.values))"><ul class="values">\(list)</ul></td></tr>
                """
        }
        return """
            <section class="card flush"><table class="list"><thead><tr><th>\(page(.title))</th>\
            <th>\(page(.field))</th><th>\(page(.values))</th></tr></thead><tbody>\(rows)</tbody></table></section>
            """
    }
}
