import Foundation
import Hummingbird
import SyncCore

extension ClerkRouter {
    func addProposalRoutes(to router: Router<ClerkContext>) {
        router.get("/proposals") { _, context in
            let page = context.page
            let filter = ProposalFilter(page.query)
            let list = ProposalListView.render(
                try store.proposals(matching: filter.storeQuery),
                categories: try store.proposalCategories(),
                filter: filter,
                page: page
            )
            let actions: HTML = "<a class=\"button primary\" href=\"/proposals/new\">+ \(page(.newProposal))</a>"
            return respond(.proposals, "\(Layout.heading(page(.proposals), actions: actions))\(list)", context)
        }
        router.get("/proposals/new") { _, context in
            respond(.newProposal, newProposalForm(context.page), context)
        }
        router.post("/proposals") { _, context in
            let form = context.web.form
            guard let title = form.text("title"), let body = form.text("body"), let commune = form.text("commune")
            else {
                throw WebError.invalid("title, body, commune")
            }
            let draft = ProposalDraft(
                title: title,
                body: body,
                category: form.text("category"),
                commune: commune,
                author: form.text("author"),
                place: form.text("place")
            )
            let id = try store.createProposal(draft)
            return WebResponse.redirect("/proposals/\(id)?done=created")
        }
        router.get("/proposals/:id") { _, context in
            let data = try ProposalPageData.load(try context.parameters.require("id"), store: store)
            return respond(.proposal, proposalPage(data, context.page), context)
        }
        addProposalChangeRoutes(to: router)
    }

    /// Editing a proposal, resolving its conflicts, and the list of every open conflict.
    private func addProposalChangeRoutes(to router: Router<ClerkContext>) {
        router.post("/proposals/:id/edit") { _, context in
            let id = try context.parameters.require("id")
            let form = context.web.form
            guard let proposal = try store.proposal(id) else { throw WebError.notFound }
            let edit = ProposalEdit(
                title: form["title"].flatMap { $0 == proposal.title ? nil : $0 },
                body: form["body"].flatMap { $0 == proposal.body ? nil : $0 },
                category: form["category"].flatMap { $0 == (proposal.category ?? "") ? nil : $0 }
            )
            if edit != ProposalEdit() { try store.editProposal(id, edit) }
            return WebResponse.redirect("/proposals/\(id)?done=edited")
        }
        router.post("/proposals/:id/resolve") { _, context in
            let id = try context.parameters.require("id")
            try ConflictView.resolve(context.web.form, proposal: id, store: store)
            return WebResponse.redirect("/proposals/\(id)?done=resolved")
        }
        router.get("/conflicts") { _, context in
            let page = context.page
            let conflicts = try store.conflicts().filter { $0.table == "proposal" }
            let titles = Dictionary(try store.proposals().map { ($0.id, $0.title) }) { first, _ in first }
            let main: HTML = """
                \(Layout.heading(page(.conflicts), subtitle: HTML(text: page(.conflictsIntro))))\
                \(ConflictListView.render(conflicts, titles: titles, page: page))
                """
            return respond(.conflicts, main, context)
        }
    }

    private func proposalPage(_ data: ProposalPageData, _ page: PageContext) -> HTML {
        let proposal = data.proposal
        let names = originName(page)
        let side = supportsPanel(proposal, supporters: (try? store.supporters(proposal: proposal.id)) ?? [], page)
        return """
            \(ProposalView.heading(proposal, page: page))
            \(ConflictView.render(data.conflicts, canResolve: true, originName: names, page: page))
            <div class="layout-2"><div>\(ProposalView.fields(proposal, page: page))\
            \(ProposalView.editForm(proposal, page: page))\
            \(CommentThreadView.render(data.comments, proposal: proposal.id, actions: .init(canWrite: true), page: page))\
            </div><aside>\(side)</aside></div>
            \(ProposalView.history(data.history, originName: names, page: page))
            """
    }

    private func supportsPanel(_ proposal: Proposal, supporters: [String], _ page: PageContext) -> HTML {
        let items = supporters.map { citizen -> HTML in
            let remove = page.button(
                "/proposals/\(proposal.id)/supports/remove",
                .remove,
                class: "button ghost small danger",
                hidden: ["citizen": citizen]
            )
            return "<li><code>\(citizen)</code> \(remove)</li>"
        }
        let fields: HTML = """
            <label>\(page(.citizenID))<input name="citizen" required pattern="[A-Za-z0-9._\\-]{1,64}" \
            placeholder="c-0042"></label><div><button type="submit" class="button primary">\(page(.addSupport))</button></div>
            """
        return """
            <section class="card" id="supports"><h2>\(page(.supports)) <small>(\(proposal.supportCount))</small></h2>
            <p class="muted small">\(page(.citizenHint))</p>\(page.form("/proposals/\(proposal.id)/supports", fields))
            \(HTML.when(!items.isEmpty, "<ul class=\"supporters\">\(items)</ul>"))</section>
            """
    }

    private func newProposalForm(_ page: PageContext) -> HTML {
        let commune = hooks.commune()
        let categories = HTML(
            Set(((try? store.proposals()) ?? []).compactMap(\.category)).sorted().map { "<option value=\"\($0)\">" }
        )
        let fields: HTML = """
            <label>\(page(.title))<input name="title" required maxlength="300" dir="auto" autofocus></label>
            <label>\(page(.proposalText))<textarea name="body" rows="8" required dir="auto"></textarea></label>
            <div class="row"><label>\(page(.category))<input name="category" list="categories" maxlength="100" dir="auto">\
            <datalist id="categories">\(categories)</datalist></label>
            <label>\(page(.commune))<select name="commune">\
            \(Vocabulary.options(Vocabulary.communes, selected: commune, page.language))</select></label>
            <label>\(page(.enteredBy))<input name="author" maxlength="100" dir="auto"></label>\
            \(HTML.when(store.schema.table(named: "proposal")?.column(named: "place") != nil, "<label>\(page(.place))<input name=\"place\" maxlength=\"200\" dir=\"auto\"></label>"))</div>
            <div><button type="submit" class="button primary">\(page(.saveProposal))</button></div>
            """
        return """
            \(Layout.heading(page(.newProposal), subtitle: HTML(text: page(.newProposalHint))))
            <section class="card">\(page.form("/proposals", fields))</section>
            """
    }
}
