import Hummingbird
import NIOCore
import SyncCore
import WebUI

/// The request context of the coordinators' dashboard: the hub's context, the page state, and
/// the signed-in account (set by ``DashboardSessionMiddleware``).
struct DashboardContext: ChildRequestContext, WebRequestContext {
    var coreContext: CoreRequestContextStorage
    var web = WebState()
    /// The signed-in session, or `nil`.
    var session: AccountSession?
    /// The session's token, to end it at sign-out.
    var sessionToken: String?
    /// The connection's peer.
    let remoteAddress: SocketAddress?

    init(context: HubRequestContext) throws {
        coreContext = context.coreContext
        remoteAddress = context.remoteAddress
    }

    /// The page context of this request.
    var page: PageContext { PageContext(web) }

    /// The signed-in account, if its role includes `role`.
    ///
    /// - Parameter role: The role the action needs.
    /// - Returns: The account.
    /// - Throws: ``WebError/forbidden`` when no one is signed in or the role is not enough.
    @discardableResult
    func require(_ role: AccountRole) throws -> Account {
        guard let account = session?.account, account.role.includes(role) else { throw WebError.forbidden }
        return account
    }
}
