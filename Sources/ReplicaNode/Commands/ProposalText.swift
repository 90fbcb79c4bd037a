import SyncCore

/// A proposal with what `proposal show` adds: its open conflicts and how many comments it has.
struct ProposalDetail: Encodable {
    var proposal: Proposal
    var conflicts: [Conflict]
    var comments: Int

    /// The full text of `proposal show`.
    var text: String {
        var lines = [ProposalText.header(proposal)]
        lines.append("created: \(TextFormat.time(proposal.createdAt))" + (proposal.author.map { " by \($0)" } ?? ""))
        lines.append("supports: \(proposal.supportCount) · comments: \(comments)")
        if let place = proposal.place { lines.append("place: \(place)") }
        lines.append("title:")
        lines.append(TextFormat.indented(proposal.title))
        lines.append("body:")
        lines.append(TextFormat.indented(proposal.body))
        if let answer = proposal.answer {
            lines.append("answer:")
            lines.append(TextFormat.indented(answer))
        }
        for conflict in conflicts {
            lines.append(ConflictText.block(conflict))
        }
        return lines.joined(separator: "\n")
    }
}

/// The human form of proposals: one block per proposal, the title on its own line so that a
/// right-to-left title is not mixed with left-to-right labels.
enum ProposalText {
    /// The first line: id, commune, status, category and flags.
    static func header(_ proposal: Proposal) -> String {
        TextFormat.joined([
            proposal.id, proposal.commune, proposal.status, proposal.category,
            proposal.isWithdrawn ? "withdrawn" : nil, proposal.isHidden ? "hidden" : nil,
        ])
    }

    /// A short block: header, title, supports and conflicting fields.
    static func summary(_ proposal: Proposal) -> String {
        var lines = [header(proposal), TextFormat.indented(proposal.title)]
        var facts = ["supports: \(proposal.supportCount)"]
        if let place = proposal.place { facts.insert("place: \(place)", at: 0) }
        if !proposal.conflictingFields.isEmpty {
            facts.append("conflict: \(proposal.conflictingFields.joined(separator: ", "))")
        }
        lines.append(TextFormat.indented(facts.joined(separator: " · ")))
        return lines.joined(separator: "\n")
    }
}

/// The human form of an open conflict.
enum ConflictText {
    /// A block: the field, the value shown and the concurrent ones.
    static func block(_ conflict: Conflict) -> String {
        var lines = ["conflict on \(conflict.table) \(conflict.record), field \(conflict.field):"]
        lines.append("  shown (from \(conflict.origins.first?.rawValue ?? "?")):")
        lines.append(TextFormat.indented(TextFormat.value(conflict.shown), depth: 2))
        for (index, other) in conflict.others.enumerated() {
            let origin = index + 1 < conflict.origins.count ? conflict.origins[index + 1].rawValue : "?"
            lines.append("  also written (from \(origin)):")
            lines.append(TextFormat.indented(TextFormat.value(other), depth: 2))
        }
        let table = conflict.table == "proposal" ? "" : " --table \(conflict.table)"
        let command = "replica-node conflicts resolve \(conflict.record)\(table) --field \(conflict.field) --value …"
        lines.append("  to resolve: " + command)
        return lines.joined(separator: "\n")
    }
}
