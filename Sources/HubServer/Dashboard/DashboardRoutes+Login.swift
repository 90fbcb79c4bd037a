import Foundation
import Hummingbird
import Logging
import SyncCore
import WebUI

extension DashboardRoutes {
    /// `GET /login`, `POST /login` and `POST /logout`.
    func addLoginRoutes(to router: RouterGroup<DashboardContext>) {
        router.get("/login") { _, context in
            if context.session != nil { return WebResponse.redirect("/proposals") }
            return respond(.signIn, loginForm(failed: false, context), context)
        }
        router.post("/login") { request, context in
            let form = context.web.form
            let username = form["username"]?.trimmingCharacters(in: .whitespaces) ?? ""
            guard let account = try checkPassword(username: username, password: form["password"] ?? "") else {
                context.logger.notice(
                    "dashboard sign-in refused",
                    metadata: ["username": .string(String(username.prefix(64)))]
                )
                return respond(.signIn, loginForm(failed: true, context), context, status: .unauthorized)
            }
            if let old = context.sessionToken { try store.closeSession(token: old) }
            let (_, token) = try store.openSession(username: account.username, policy: policy)
            context.logger.info("dashboard sign-in", metadata: ["account": .string(account.username)])
            var response = WebResponse.redirect(Self.safeTarget(form["next"]))
            let secure = request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
            response.setCookie(
                Cookie(
                    name: DashboardSessionMiddleware.cookieName,
                    value: token,
                    path: "/",
                    secure: secure,
                    sameSite: .lax
                )
            )
            return response
        }
        router.post("/logout") { _, context in
            if let token = context.sessionToken { try store.closeSession(token: token) }
            var response = WebResponse.redirect("/login")
            response.setCookie(
                Cookie(name: DashboardSessionMiddleware.cookieName, value: "", maxAge: 0, path: "/", sameSite: .lax)
            )
            return response
        }
    }

    /// The account whose password this is, or `nil`; an unknown name takes as long as a wrong password.
    func checkPassword(username: String, password: String) throws -> Account? {
        guard !username.isEmpty, username.utf8.count <= 64, password.utf8.count <= 1_024,
            let credential = try store.credential(of: username)
        else {
            hasher.spendVerificationTime()
            return nil
        }
        return hasher.verify(password, against: credential.passwordHash) ? credential.account : nil
    }

    /// A local path to go to after signing in; anything else becomes the proposals.
    static func safeTarget(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), next != "/login" else {
            return "/proposals"
        }
        return next
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
