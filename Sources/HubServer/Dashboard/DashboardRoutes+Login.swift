import Foundation
import Hummingbird
import Logging
import SyncCore
import SyncHTTP
import WebUI

extension DashboardRoutes {
    /// `GET /login`, `POST /login` and `POST /logout`.
    ///
    /// A sign-in is refused with 429 while its account or address is locked out
    /// (``SignInThrottle``), and with 503 while the password hashing threads are full
    /// (``PasswordHashingPool``); both say when to try again.
    func addLoginRoutes(to router: RouterGroup<DashboardContext>) {
        router.get("/login") { _, context in
            if context.session != nil { return WebResponse.redirect("/proposals") }
            return respond(.signIn, loginForm(failed: false, context), context)
        }
        router.post("/login") { request, context in
            try await signIn(request, context)
        }
        router.post("/logout") { _, context in
            if let token = context.sessionToken { try await accounts.closeSession(token: token) }
            var response = WebResponse.redirect("/login")
            response.setCookie(
                Cookie(
                    name: DashboardSessionMiddleware.cookieName,
                    value: "",
                    maxAge: 0,
                    path: "/",
                    secure: context.web.isSecure,
                    sameSite: .lax
                )
            )
            return response
        }
    }

    private func signIn(_ request: Request, _ context: DashboardContext) async throws -> Response {
        let form = context.web.form
        let username = form["username"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let address = clientAddress(request, context)
        if let wait = throttle.wait(account: username, address: address, now: now()) {
            context.logger.notice("dashboard sign-in locked out", metadata: ["address": .string(address)])
            return retryLater(.signInLocked, wait: wait, status: .tooManyRequests, context)
        }
        let password = form["password"] ?? ""
        let credential = try await storedCredential(username: username, password: password)
        let checked: Result<Account?, any Error>
        do {
            checked = try await hashing.run { [self] in
                Result { checkPassword(credential, password: password) }
            }
        } catch is PasswordHashingPool.Busy {
            context.logger.notice("dashboard sign-in refused: password hashing busy")
            return retryLater(.signInBusy, wait: .seconds(2), status: .serviceUnavailable, context)
        }
        guard let account = try checked.get() else {
            throttle.recordFailure(account: username, address: address, now: now())
            context.logger.notice(
                "dashboard sign-in refused",
                metadata: ["username": .string(String(username.prefix(64))), "address": .string(address)]
            )
            return respond(.signIn, loginForm(failed: true, context), context, status: .unauthorized)
        }
        throttle.recordSuccess(account: username)
        if let old = context.sessionToken { try await accounts.closeSession(token: old) }
        let (_, token) = try await accounts.openSession(username: account.username, policy: policy)
        context.logger.info("dashboard sign-in", metadata: ["account": .string(account.username)])
        var response = WebResponse.redirect(Self.safeTarget(form["next"]))
        response.setCookie(
            Cookie(
                name: DashboardSessionMiddleware.cookieName,
                value: token,
                path: "/",
                secure: context.web.isSecure,
                sameSite: .lax
            )
        )
        return response
    }

    /// The stored account and hash a sign-in is checked against, or `nil` for an unknown name or
    /// one that cannot be valid.
    func storedCredential(username: String, password: String) async throws -> StoredAccount? {
        guard !username.isEmpty, username.utf8.count <= 64, password.utf8.count <= 1_024 else { return nil }
        return try await accounts.credential(of: username)
    }

    /// The account whose password this is, or `nil`.
    ///
    /// An unknown name takes as long as a wrong password. Runs on a hashing thread
    /// (``PasswordHashingPool``), never on an event loop.
    func checkPassword(_ credential: StoredAccount?, password: String) -> Account? {
        guard let credential else {
            hasher.spendVerificationTime()
            return nil
        }
        return hasher.verify(password, against: credential.passwordHash) ? credential.account : nil
    }

    /// A local path to go to after signing in; anything else (another site, a scheme, control
    /// characters, a backslash, the sign-in page itself) becomes the proposals.
    static func safeTarget(_ next: String?) -> String {
        guard let next, LocalPath.isLocal(next) else { return "/proposals" }
        let path = next.split(separator: "?", maxSplits: 1).first.map(String.init) ?? next
        guard path != "/login", path != "/logout" else { return "/proposals" }
        return next
    }

    /// The client's address: the connection's peer, or the last `X-Forwarded-For` entry when a
    /// trusted proxy is in front (`--behind-https-proxy`).
    private func clientAddress(_ request: Request, _ context: DashboardContext) -> String {
        if site.https.behindHTTPSProxy, let forwarded = request.headers[.init("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last.map({ $0.trimmingCharacters(in: .whitespaces) }),
            !last.isEmpty
        {
            return String(last.prefix(64))
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The sign-in page with a message saying how long to wait, and `Retry-After`.
    private func retryLater(
        _ message: Localized,
        wait: Duration,
        status: HTTPResponse.Status,
        _ context: DashboardContext
    ) -> Response {
        let seconds = RateLimitedError.seconds(wait)
        let text = context.page(message).replacingOccurrences(of: "%@", with: String(seconds))
        let main: HTML = "<p class=\"alert warning\" role=\"alert\">\(text)</p>\(loginForm(failed: false, context))"
        var response = respond(.signIn, main, context, status: status)
        response.headers[.retryAfter] = String(seconds)
        return response
    }

    private func loginForm(failed: Bool, _ context: DashboardContext) -> HTML {
        let page = context.page
        let next = page.query["next"] ?? context.web.form["next"]
        let fields: HTML = """
            \(HTML.when(failed, "<p class=\"alert danger\" role=\"alert\">\(page(.signInFailed))</p>"))
            <label>\(page(.username))<input name="username" autocomplete="username" required autofocus \
            value="\(context.web.form["username"])" dir="ltr"></label>
            <label>\(page(.password))<input type="password" name="password" autocomplete="current-password" required \
            dir="ltr"></label>
            \(HTML.when(next != nil, "<input type=\"hidden\" name=\"next\" value=\"\(next)\">"))
            <div><button type="submit" class="button primary">\(page(.signIn))</button></div>
            """
        return """
            <section class="card login"><h1>\(page(.signIn))</h1><p class="muted">\(page(.signInHint))</p>\
            \(page.form("/login", fields))</section>
            """
    }
}
