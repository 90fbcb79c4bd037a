import Hummingbird
import Logging
import SyncCore
import WebUI

/// Finds the signed-in session from the `hub_session` cookie.
///
/// It puts the session and its form token in the context and refuses nothing:
/// ``SignedInMiddleware`` and the routes do.
struct DashboardSessionMiddleware: RouterMiddleware {
    typealias Context = DashboardContext

    /// The name of the session cookie.
    static let cookieName = "hub_session"

    let accounts: any AccountStore
    let policy: SessionPolicy

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.cookieName]?.value,
            let session = try await accounts.session(token: token, policy: policy)
        {
            context.session = session
            context.sessionToken = token
            context.web.csrfToken = session.csrfToken
            context.logger[metadataKey: "account"] = .string(session.account.username)
        }
        return try await next(request, context)
    }
}

/// Sends a visitor who is not signed in to the sign-in page, then back where they were going.
struct SignedInMiddleware: RouterMiddleware {
    typealias Context = DashboardContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard context.session != nil else {
            let target = request.method == .get ? request.uri.path : "/"
            return WebResponse.redirect(target == "/" ? "/login" : "/login?next=\(FormData.encode(target))")
        }
        return try await next(request, context)
    }
}
