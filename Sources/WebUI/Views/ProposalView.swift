import Foundation
package import SyncCore

/// The parts of a proposal's page that the hub and the commune offices share.
package enum ProposalView {
    /// The heading: title, badges, and who entered it when.
    package static func heading(_ proposal: Proposal, page: PageContext) -> HTML {
        let flags: [HTML] = [
            Badge.commune(proposal.commune, page.language), Badge.status(proposal.status, page.language),
            .when(proposal.category != nil, "<span class=\"badge category\" dir=\"auto\">\(proposal.category)</span>"),
            .when(proposal.isWithdrawn, Badge.label(page(.withdrawn), style: "muted")),
            .when(proposal.isHidden, Badge.label(page(.hidden), style: "muted")),
            .when(!proposal.conflictingFields.isEmpty, Badge.label("⚠ \(page(.openConflicts))", style: "warn")),
        ]
        let entered = page(.enteredOn).components(separatedBy: "%@")
        let meta: HTML =
            "\(entered.first ?? "")<time>\(Format.dateTime(proposal.createdAt))</time>\(entered.dropFirst().joined())"
        return """
            <nav class="crumbs"><a href="/proposals">\(page(.proposals))</a></nav>
            <div class="pagehead"><div><h1 dir="auto">\(proposal.title)</h1>
            <p class="badges">\(flags)</p>
            <p class="subtitle">\(meta)\(HTML.when(proposal.author != nil, " · <span dir=\"auto\">\(proposal.author)</span>"))\
             · <code title="\(proposal.id)">\(Format.shortID(proposal.id))</code></p></div>
            <div class="supports-box"><strong>\(proposal.supportCount)</strong><span>\(page(.supports))</span></div></div>
            """
    }

    /// The body and the official answer.
    package static func fields(_ proposal: Proposal, page: PageContext) -> HTML {
        let answer: HTML =
            proposal.answer.map { text in
                "<section class=\"card answer\"><h2>\(page(.officialAnswer))</h2><div class=\"prose\" dir=\"auto\">\(text)</div></section>"
            } ?? "<p class=\"muted\">\(page(.noAnswerYet))</p>"
        return """
            <section class="card"><h2>\(page(.proposalText))</h2><div class="prose" dir="auto">\(proposal.body)</div></section>
            \(answer)
            """
    }

    /// The form that answers a proposal and changes its status.
    package static func answerForm(_ proposal: Proposal, page: PageContext) -> HTML {
        let options = Vocabulary.options(Vocabulary.statuses, selected: proposal.status, page.language)
        let fields: HTML = """
            <label>\(page(.status))<select name="status">\(options)</select></label>
            <label>\(page(.officialAnswer))<textarea name="answer" rows="5" dir="auto">\(proposal.answer)</textarea></label>
            <div><button type="submit" class="button primary">\(page(.saveAnswer))</button></div>
            """
        let form = page.form("/proposals/\(proposal.id)/answer", fields)
        return "<section class=\"card\" id=\"answer\"><h2>\(page(.answerAndStatus))</h2>\(form)</section>"
    }

    /// The form that edits a proposal's title, body and category.
    package static func editForm(_ proposal: Proposal, page: PageContext) -> HTML {
        let fields: HTML = """
            <label>\(page(.title))<input name="title" required maxlength="300" value="\(proposal.title)" dir="auto"></label>
            <label>\(page(.proposalText))<textarea name="body" rows="6" required dir="auto">\(proposal.body)</textarea></label>
            <label>\(page(.category))<input name="category" maxlength="100" value="\(proposal.category)" dir="auto"></label>
            <div><button type="submit" class="button primary">\(page(.save))</button></div>
            """
        let form = page.form("/proposals/\(proposal.id)/edit", fields)
        return "<details class=\"card\"><summary>\(page(.editProposal))</summary>\(form)</details>"
    }

    /// The key facts of a proposal, for a side column.
    package static func facts(_ proposal: Proposal, page: PageContext) -> HTML {
        let rows: [(Localized, HTML)] = [
            (.commune, Badge.commune(proposal.commune, page.language)),
            (.status, Badge.status(proposal.status, page.language)),
            (.category, "<span dir=\"auto\">\(proposal.category ?? "—")</span>"),
            (.place, "<span dir=\"auto\">\(proposal.place ?? "—")</span>"),
            (.createdAt, "<time>\(Format.dateTime(proposal.createdAt))</time>"),
            (.enteredByFact, "<span dir=\"auto\">\(proposal.author ?? "—")</span>"),
            (.supports, "<strong>\(proposal.supportCount)</strong>"),
            (.identifier, "<code class=\"wrap\">\(proposal.id)</code>"),
        ]
        let cells = rows.map { label, value -> HTML in "<tr><th>\(page(label))</th><td>\(value)</td></tr>" }
        return
            "<section class=\"card\"><h2>\(page(.facts))</h2><table class=\"facts\"><tbody>\(cells)</tbody></table></section>"
    }

    /// The writes that made the record, newest first.
    package static func history(_ entries: [HistoryEntry], originName: (ReplicaID) -> String, page: PageContext) -> HTML
    {
        guard !entries.isEmpty else { return .empty }
        let rows = entries.reversed().map { entry -> HTML in
            let separator = page.language == .arabic ? "، " : ", "
            let fields = entry.fieldsShown.map { Vocabulary.field($0, page.language) }.joined(separator: separator)
            return """
                <tr><td><time>\(Format.dateTime(entry.timestamp.wallMillis))</time></td>\
                <td>\(originName(entry.origin))</td><td class="num">\(Int64(entry.seq))</td>\
                <td>\(fields.isEmpty ? "—" : fields)</td></tr>
                """
        }
        return """
            <section class="card"><h2>\(page(.history))</h2><p class="muted small">\(page(.historyHint))</p>
            <table class="list compact"><thead><tr><th>\(page(.when))</th><th>\(page(.writtenAt))</th>\
            <th class="num">\(page(.sequence))</th><th>\(page(.fieldsShown))</th></tr></thead><tbody>\(rows)</tbody></table>
            </section>
            """
    }
}
