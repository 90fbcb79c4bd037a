import Foundation
import Hummingbird
import SyncCore
import WebUI

/// The coordinators' dashboard: sign-in, the merged proposals of every commune, a proposal's page
/// with its conflicts and answer, the replicas, charts, downloads and accounts.
///
/// Every page but the sign-in needs a session; each route checks the role it needs (read,
/// answer or admin) and answers 403 otherwise. Every form carries the session's anti-forgery
/// token. Coordinators' actions are ordinary writes on the hub's store, so they reach the
/// communes at their next sync.
struct DashboardRoutes: Sendable {
    /// The hub's store (its typed participation API and enrollments).
    let store: ReplicaStore
    /// The dashboard's accounts and sessions.
    let accounts: any AccountStore
    /// How long sessions last.
    var policy = SessionPolicy()
    /// How passwords are hashed.
    var hasher = PasswordHasher()
    /// The names served, and whether requests come over HTTPS.
    var site = SiteGuard()
    /// The threads that hash passwords, a few at a time.
    var hashing = PasswordHashingPool()
    /// The limit on sign-in guesses.
    var throttle = SignInThrottle()
    /// The time for the sign-in throttle, from a fixed origin.
    var now: @Sendable () -> Duration = { ContinuousClock.now - DashboardRoutes.origin }

    /// The time origin of ``now``.
    static let origin = ContinuousClock.now

    /// Adds the dashboard's routes and assets to the hub's router.
    ///
    /// - Parameter router: The hub's router.
    func addRoutes(to router: Router<HubRequestContext>) {
        AssetRoutes.add(to: router)
        let pages = router.group(context: DashboardContext.self)
            .add(middleware: DashboardSessionMiddleware(accounts: accounts, policy: policy))
            .add(middleware: TerritoryMiddleware<DashboardContext>(store: store))
            .add(
                middleware: WebMiddleware<DashboardContext>(site: site) { error, context in
                    self.document(error.title(context.web.language), Layout.error(error, page: context.page), context)
                }
            )
        addLoginRoutes(to: pages)
        let signedIn = pages.group().add(middleware: SignedInMiddleware())
        addProposalRoutes(to: signedIn)
        addReplicaRoutes(to: signedIn)
        addChartRoutes(to: signedIn)
        addExportRoutes(to: signedIn)
        addAccountRoutes(to: signedIn)
        addCommuneRoutes(to: signedIn)
    }

    /// The dashboard's frame around a page: the navigation the account may use, and the account.
    func document(_ title: String, _ main: HTML, _ context: DashboardContext) -> HTML {
        let page = context.page
        var links = [
            NavLink(.proposals, "/proposals"), NavLink(.conflicts, "/conflicts"), NavLink(.charts, "/charts"),
            NavLink(.downloads, "/downloads"),
        ]
        var trailing = HTML.empty
        if let account = context.session?.account {
            if account.role.includes(.admin) {
                links += [
                    NavLink(.replicas, "/replicas"), NavLink(.communes, "/communes"), NavLink(.accounts, "/accounts"),
                ]
            }
            let role = Vocabulary.name(account.role.rawValue, page.language)
            trailing = """
                <span class="who" title="\(role)"><span class="avatar">\(String(account.username.prefix(1)).uppercased())</span><strong>\(account.username)</strong> \
                <span class="badge info">\(role)</span></span>\(page.button("/logout", .signOut, class: "button small"))
                """
        } else {
            links = []
        }
        let chrome = Chrome(appName: .dashboardName, navigation: links, trailing: trailing)
        return Layout.document(title: title, chrome: chrome, page: page, main: main)
    }

    /// A page response.
    func respond(
        _ title: Localized,
        _ main: HTML,
        _ context: DashboardContext,
        status: HTTPResponse.Status = .ok
    )
        -> Response
    {
        WebResponse.page(document(title(context.web.language), main, context), status: status)
    }

    /// The name of a replica for coordinators: the hub, or the enrollment it is bound to.
    func originName(_ page: PageContext) throws -> @Sendable (ReplicaID) -> String {
        var names: [ReplicaID: String] = [:]
        for enrollment in try store.enrollments() {
            for origin in enrollment.origins {
                names[origin] = "\(enrollment.label) · \(Vocabulary.name(enrollment.commune, page.language))"
            }
        }
        names[store.replicaID] = page(.hubName)
        if let previous = store.previousReplicaID { names[previous] = page(.hubName) }
        let fallback = page(.replicaNamed)
        let known = names
        return { origin in
            known[origin] ?? fallback.replacingOccurrences(of: "%@", with: Format.shortID(origin.rawValue))
        }
    }
}
