import Foundation
package import Hummingbird
package import SyncCore

/// The pages of a commune office, served on the office's own machine with no network: proposals,
/// comments, supports, events and attendance, conflicts, and the sync status.
///
/// There is no sign-in (the server listens on loopback only, for the one machine), but every
/// form carries an anti-forgery token.
package struct ClerkRouter: Sendable {
    /// The replica.
    package let store: ReplicaStore
    /// What the serving program provides.
    package let hooks: ClerkHooks
    /// The names the pages answer to (the loopback names and `--allowed-host`).
    package let site: SiteGuard

    package init(store: ReplicaStore, hooks: ClerkHooks, site: SiteGuard = SiteGuard()) {
        self.store = store
        self.hooks = hooks
        self.site = site
    }

    /// The router with every page.
    package func makeRouter() -> Router<ClerkContext> {
        let router = Router(context: ClerkContext.self)
        AssetRoutes.add(to: router)
        router.add(middleware: TerritoryMiddleware<ClerkContext>(store: store))
        router.add(
            middleware: WebMiddleware<ClerkContext>(site: site) { error, context in
                self.document(error.title(context.web.language), Layout.error(error, page: context.page), context)
            }
        )
        router.get("/") { _, _ in WebResponse.redirect("/proposals") }
        addProposalRoutes(to: router)
        addDiscussionRoutes(to: router)
        addEventRoutes(to: router)
        addSyncRoutes(to: router)
        return router
    }

    /// The office's frame around a page.
    func document(_ title: String, _ main: HTML, _ context: ClerkContext) -> HTML {
        let page = context.page
        let office = hooks.commune().map { Vocabulary.name($0, page.language) } ?? page(.notSetUp)
        let chrome = Chrome(
            appName: .officeName,
            navigation: [
                NavLink(.proposals, "/proposals"), NavLink(.newProposal, "/proposals/new"),
                NavLink(.events, "/events"), NavLink(.conflicts, "/conflicts"), NavLink(.syncStatus, "/sync"),
            ],
            trailing: "<span class=\"who\"><span class=\"avatar\">⌂</span>\(office)</span>"
        )
        return Layout.document(title: title, chrome: chrome, page: page, main: main)
    }

    /// A page response.
    func respond(_ title: Localized, _ main: HTML, _ context: ClerkContext) -> Response {
        WebResponse.page(document(title(context.web.language), main, context))
    }

    /// The name of a replica for people: this office, or a short id.
    func originName(_ page: PageContext) -> @Sendable (ReplicaID) -> String {
        let mine = Set([store.replicaID] + (store.previousReplicaID.map { [$0] } ?? []))
        let here = page(.thisOffice)
        let other = page(.replicaNamed)
        return { origin in
            mine.contains(origin) ? here : other.replacingOccurrences(of: "%@", with: Format.shortID(origin.rawValue))
        }
    }
}
