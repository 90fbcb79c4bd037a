import Foundation
import Hummingbird
import SyncCore
import WebUI

extension DashboardRoutes {
    /// The proposals, a proposal's page, its answer and conflict resolution, and every open conflict.
    func addProposalRoutes(to router: RouterGroup<DashboardContext>) {
        router.get("/") { _, _ in WebResponse.redirect("/proposals") }
        router.get("/proposals") { _, context in
            try context.require(.read)
            let page = context.page
            let filter = ProposalFilter(page.query)
            var everything = ProposalQuery()
            everything.limit = 0
            let count = try store.proposals(matching: everything).total
            let list = ProposalListView.render(
                try store.proposals(matching: filter.storeQuery),
                categories: try store.proposalCategories(),
                filter: filter,
                page: page
            )
            let subtitle = HTML(text: page(.proposalsIntro).replacingOccurrences(of: "%@", with: "\(count)"))
            return respond(.proposals, "\(Layout.heading(page(.proposals), subtitle: subtitle))\(list)", context)
        }
        router.get("/proposals/:id") { _, context in
            let account = try context.require(.read)
            let data = try ProposalPageData.load(try context.parameters.require("id"), store: store)
            return respond(
                .proposal,
                try proposalPage(data, canAnswer: account.role.includes(.answer), context.page),
                context
            )
        }
        addDecisionRoutes(to: router)
    }

    /// Answering, resolving, and the list of every open conflict.
    private func addDecisionRoutes(to router: RouterGroup<DashboardContext>) {
        router.post("/proposals/:id/answer") { _, context in
            try context.require(.answer)
            let id = try context.parameters.require("id")
            guard let proposal = try store.proposal(id) else { throw WebError.notFound }
            let form = context.web.form
            let status = form["status"].flatMap { Schema.proposalStatuses.contains($0) ? $0 : nil }
            let answer = form["answer"].flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
            let edit = ProposalEdit(
                status: status == proposal.status ? nil : status,
                answer: answer == proposal.answer ? nil : answer
            )
            if edit != ProposalEdit() { try store.editProposal(id, edit) }
            return WebResponse.redirect("/proposals/\(id)?done=answered")
        }
        router.post("/proposals/:id/resolve") { _, context in
            try context.require(.answer)
            let id = try context.parameters.require("id")
            try ConflictView.resolve(context.web.form, proposal: id, store: store)
            return WebResponse.redirect("/proposals/\(id)?done=resolved")
        }
        router.get("/conflicts") { _, context in
            try context.require(.read)
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

    private func proposalPage(_ data: ProposalPageData, canAnswer: Bool, _ page: PageContext) throws -> HTML {
        let proposal = data.proposal
        let names = try originName(page)
        return """
            \(ProposalView.heading(proposal, page: page))
            \(ConflictView.render(data.conflicts, canResolve: canAnswer, originName: names, page: page))
            <div class="layout-2"><div>\(ProposalView.fields(proposal, page: page))\
            \(CommentThreadView.render(data.comments, proposal: proposal.id, actions: .init(canWrite: false), page: page))\
            </div><aside>\(HTML.when(canAnswer, ProposalView.answerForm(proposal, page: page)))\
            \(ProposalView.facts(proposal, page: page))</aside></div>
            \(ProposalView.history(data.history, originName: names, page: page))
            """
    }
}
