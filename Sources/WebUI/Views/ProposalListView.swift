import Foundation
package import SyncCore

/// The list of proposals: filters, a table that becomes cards on a narrow screen, and pages.
package enum ProposalListView {
    /// The filter form, the table and the pager.
    ///
    /// - Parameters:
    ///   - matching: The page of proposals that match the filters, and their total.
    ///   - categories: Every category the proposals name, for the filter.
    ///   - filter: The filters.
    ///   - page: The page context.
    /// - Returns: The list.
    package static func render(
        _ matching: ProposalPage,
        categories: [String],
        filter: ProposalFilter,
        page: PageContext
    ) -> HTML {
        let rows = matching.proposals.map { row($0, page) }
        let table: HTML =
            rows.isEmpty
            ? "<p class=\"empty\">\(page(filter.isActive ? .noMatch : .noProposals))</p>"
            : """
            <table class="list proposals"><thead><tr><th>\(page(.title))</th><th>\(page(.commune))</th>\
            <th>\(page(.status))</th><th class="num">\(page(.supports))</th><th>\(page(.createdAt))</th></tr></thead>
            <tbody>\(rows)</tbody></table>
            """
        return """
            \(form(filter, categories: categories, page: page))
            <section class="card flush">\(table)</section>
            \(pager(total: matching.total, filter: filter, page: page))
            """
    }

    private static func row(_ proposal: Proposal, _ page: PageContext) -> HTML {
        let flags: [HTML] = [
            .when(!proposal.conflictingFields.isEmpty, Badge.label("⚠ \(page(.conflict))", style: "warn")),
            .when(proposal.isWithdrawn, Badge.label(page(.withdrawn), style: "muted")),
            .when(proposal.isHidden, Badge.label(page(.hidden), style: "muted")),
        ]
        return """
            <tr><td data-label="\(page(.title))"><a class="title" dir="auto" href="/proposals/\(proposal.id)">\
            \(proposal.title)</a>\(flags)<div class="excerpt" dir="auto">\(excerpt(proposal.body))</div>\
            \(HTML.when(proposal.category != nil, "<span class=\"category\" dir=\"auto\">\(proposal.category)</span>"))</td>\
            <td data-label="\(page(.commune))">\(Badge.commune(proposal.commune, page.language))</td>\
            <td data-label="\(page(.status))">\(Badge.status(proposal.status, page.language))</td>\
            <td class="num" data-label="\(page(.supports))">\(proposal.supportCount)</td>\
            <td data-label="\(page(.createdAt))"><time>\(Format.date(proposal.createdAt))</time></td></tr>
            """
    }

    private static func excerpt(_ body: String) -> String {
        let flat = body.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 140 ? String(flat.prefix(140)) + "…" : flat
    }

    private static func form(_ filter: ProposalFilter, categories: [String], page: PageContext) -> HTML {
        let categoryOptions = HTML(
            ["<option value=\"\">\(page(.allCategories))</option>"]
                + categories.map { name in
                    "<option value=\"\(name)\"\(HTML.attribute("selected", if: name == filter.category))>\(name)</option>"
                }
        )
        let language = page.language
        return """
            <form method="get" action="\(page.path)" class="filters card" role="search">
            <label class="grow">\(page(.search))<input type="search" name="q" value="\(filter.search)" \
            placeholder="\(page(.searchHint))" dir="auto"></label>
            <label>\(page(.commune))<select name="commune">\
            \(Vocabulary.options(Vocabulary.communes, selected: filter.commune, all: page(.allCommunes), language))\
            </select></label>
            <label>\(page(.status))<select name="status">\
            \(Vocabulary.options(Vocabulary.statuses, selected: filter.status, all: page(.allStatuses), language))\
            </select></label>
            <label>\(page(.category))<select name="category">\(categoryOptions)</select></label>
            <label>\(page(.place))<input type="search" name="place" value="\(filter.place)" dir="auto"></label>
            <label>\(page(.fromDate))<input type="date" name="from" value="\(filter.from)"></label>
            <label>\(page(.toDate))<input type="date" name="to" value="\(filter.to)"></label>
            <div class="filter-actions"><button type="submit" class="button primary">\(page(.filter))</button>\
            \(HTML.when(filter.isActive, "<a class=\"button ghost\" href=\"\(page.path)\">\(page(.reset))</a>"))</div>
            </form>
            """
    }

    private static func pager(total: Int, filter: ProposalFilter, page: PageContext) -> HTML {
        let pages = max(1, (total + ProposalFilter.pageSize - 1) / ProposalFilter.pageSize)
        let first = total == 0 ? 0 : (filter.page - 1) * ProposalFilter.pageSize + 1
        let last = min(total, filter.page * ProposalFilter.pageSize)
        let summary = page(.showing).replacingOccurrences(of: "%1", with: "\(first)")
            .replacingOccurrences(of: "%2", with: "\(last)").replacingOccurrences(of: "%3", with: "\(total)")
        func link(_ number: Int, _ label: Localized, rel: String) -> HTML {
            var query = filter.query
            query.set("page", String(number))
            return
                "<a class=\"button ghost\" rel=\"\(rel)\" href=\"\(PageContext.href(page.path, query))\">\(page(label))</a>"
        }
        return """
            <nav class="pager" aria-label="\(page(.pages))"><span>\(summary)</span>\
            \(HTML.when(filter.page > 1, link(filter.page - 1, .previous, rel: "prev")))\
            \(HTML.when(filter.page < pages, link(filter.page + 1, .next, rel: "next")))</nav>
            """
    }
}
