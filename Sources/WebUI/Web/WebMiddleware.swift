import Foundation
package import Hummingbird
import SyncCore
import SyncHTTP

/// Prepares every page request and guards every form.
///
/// - The language comes from `?lang=` (then remembered in a cookie), else the `lang` cookie, else
///   Arabic.
/// - The anti-forgery token is the one a session put in the context, else a random token kept in
///   an `HttpOnly`, `SameSite=Strict` cookie (double submit).
/// - A request for a host name the ``SiteGuard`` does not serve is refused with 421.
/// - A request that is not GET or HEAD must be a form whose `_csrf` field equals that token, and
///   must not come from another site (its `Origin`, else `Referer`, names this site; and not
///   `Sec-Fetch-Site: cross-site`); otherwise it is refused with 403 before any route runs.
/// - Over HTTPS, cookies are `Secure` and responses carry `Strict-Transport-Security`.
/// - ``WebError`` and ``SyncError`` become error pages; responses get a strict content security
///   policy (every asset is served by the application itself).
package struct WebMiddleware<Context: WebRequestContext>: RouterMiddleware {
    /// The largest form accepted, in bytes.
    package static var maxFormBytes: Int { 1 << 20 }

    /// Renders an error as a whole page, in the context's language.
    let errorPage: @Sendable (WebError, Context) -> HTML
    /// The names served and whether requests come over HTTPS.
    let site: SiteGuard

    package init(site: SiteGuard = SiteGuard(), errorPage: @escaping @Sendable (WebError, Context) -> HTML) {
        self.site = site
        self.errorPage = errorPage
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        var request = request
        context.web.isSecure = site.https.isHTTPS(request)
        Self.prepare(&context, for: request)
        var response: Response
        do {
            guard site.admitsHost(of: request) else { throw WebError.wrongHost }
            if request.method != .get && request.method != .head {
                guard site.isSameSite(request) else { throw WebError.crossSite }
                try await Self.readForm(&request, into: &context)
            }
            response = try await next(request, context)
        } catch let error as WebError {
            response = WebResponse.page(errorPage(error, context), status: error.status)
        } catch let error as SyncError {
            let failure = WebError(error)
            response = WebResponse.page(errorPage(failure, context), status: failure.status)
        }
        for cookie in context.web.cookies { response.setCookie(cookie) }
        WebResponse.secure(&response.headers)
        if context.web.isSecure { response.headers[.strictTransportSecurity] = HTTPSPolicy.strictTransportSecurity }
        return response
    }

    /// Sets the language, the query, the path and the anti-forgery token of a request.
    static func prepare(_ context: inout Context, for request: Request) {
        context.web.path = request.uri.path
        context.web.query = FormData(encoded: request.uri.query ?? "")
        if let code = context.web.query["lang"], let language = Language(code: code) {
            context.web.language = language
            context.web.cookies.append(
                Cookie(
                    name: "lang",
                    value: language.code,
                    maxAge: 31_536_000,
                    path: "/",
                    secure: context.web.isSecure,
                    sameSite: .lax
                )
            )
        } else if let code = request.cookies["lang"]?.value, let language = Language(code: code) {
            context.web.language = language
        }
        guard context.web.csrfToken.isEmpty else { return }
        if let token = request.cookies["csrf"]?.value, CSRFToken.isWellFormed(token) {
            context.web.csrfToken = token
        } else {
            context.web.csrfToken = CSRFToken.make()
            context.web.cookies.append(
                Cookie(
                    name: "csrf",
                    value: context.web.csrfToken,
                    path: "/",
                    secure: context.web.isSecure,
                    sameSite: .strict
                )
            )
        }
    }

    /// Reads a form body and checks its token and origin.
    static func readForm(_ request: inout Request, into context: inout Context) async throws {
        if request.headers[.init("Sec-Fetch-Site")!] == "cross-site" { throw WebError.badToken }
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { throw WebError.badToken }
        let body = try await request.collectBody(upTo: maxFormBytes)
        context.web.form = FormData(encoded: String(decoding: body.readableBytesView, as: UTF8.self))
        guard let sent = context.web.form["_csrf"], CSRFToken.matches(sent, context.web.csrfToken) else {
            throw WebError.badToken
        }
    }
}

extension WebError {
    /// The page for an engine error: its status, and its message as the detail.
    init(_ error: SyncError) {
        switch error.code {
        case .recordNotFound:
            self = .notFound
        case .forbidden, .unauthorized:
            self = .forbidden
        case .invalidArgument, .tooLarge, .conflict:
            self = .invalid(error.message)
        default:
            self = WebError(.internalServerError, .errorServerTitle, .errorServer)
        }
        detail = error.message
    }
}
