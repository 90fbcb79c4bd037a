import Foundation
import Hummingbird
import SyncCore
import WebUI

extension DashboardRoutes {
    /// `GET /accounts`, and adding, changing and deleting accounts (admin).
    func addAccountRoutes(to router: RouterGroup<DashboardContext>) {
        router.get("/accounts") { _, context in
            try context.require(.admin)
            return respond(.accounts, try await accountsPage(context), context)
        }
        router.post("/accounts") { _, context in
            try context.require(.admin)
            let form = context.web.form
            guard let username = form.text("username"), let password = form["password"],
                let role = form["role"].flatMap(AccountRole.init(rawValue:))
            else { throw WebError.invalid("username, password, role") }
            guard password.count >= PasswordHasher.minimumLength else {
                throw WebError.invalid("password: \(PasswordHasher.minimumLength)+")
            }
            let hashed: Result<String, any Error>
            do {
                hashed = try await hashing.run { [hasher] in Result { try hasher.hash(password) } }
            } catch is PasswordHashingPool.Busy {
                throw WebError(.serviceUnavailable, .busyTitle, .hashingBusy)
            }
            try await accounts.createAccount(username: username, role: role, passwordHash: try hashed.get())
            return WebResponse.redirect("/accounts?done=user")
        }
        router.post("/accounts/:username/role") { _, context in
            let admin = try context.require(.admin)
            let username = try context.parameters.require("username")
            guard let role = context.web.form["role"].flatMap(AccountRole.init(rawValue:)) else {
                throw WebError.invalid("role")
            }
            guard let target = try await accounts.account(named: username) else { throw WebError.notFound }
            guard target.username != admin.username || role == .admin else {
                throw WebError.invalid(context.page(.notYourself))
            }
            try await accounts.updateAccount(target.username, role: role)
            return WebResponse.redirect("/accounts?done=user")
        }
        router.post("/accounts/:username/delete") { _, context in
            let admin = try context.require(.admin)
            let username = try context.parameters.require("username")
            guard let target = try await accounts.account(named: username) else { throw WebError.notFound }
            guard target.username != admin.username else { throw WebError.invalid(context.page(.notYourself)) }
            try await accounts.deleteAccount(target.username)
            return WebResponse.redirect("/accounts?done=user-deleted")
        }
    }

    private func accountsPage(_ context: DashboardContext) async throws -> HTML {
        let page = context.page
        let me = context.session?.account.username
        let roles = AccountRole.allCases.map(\.rawValue)
        let rows = try await accounts.accounts().map { account -> HTML in
            let select: HTML =
                "<select name=\"role\">\(Vocabulary.options(roles, selected: account.role.rawValue, page.language))</select>"
            let change = page.form(
                "/accounts/\(account.username)/role",
                class: "row",
                "\(select)<button type=\"submit\" class=\"button small\">\(page(.save))</button>"
            )
            let remove: HTML = .when(
                account.username != me,
                page.button("/accounts/\(account.username)/delete", .delete, class: "button ghost small danger")
            )
            return """
                <tr><td data-label="\(page(.username))"><strong>\(account.username)</strong></td>\
                <td data-label="\(page(.role))">\(change)</td>\
                <td data-label="\(page(.createdAt))">\(Format.date(account.createdAt))</td><td>\(remove)</td></tr>
                """
        }
        let fields: HTML = """
            <div class="row"><label>\(page(.username))<input name="username" required pattern="[A-Za-z0-9._@\\-]{1,64}" dir="ltr"></label>
            <label>\(page(.password))<input type="password" name="password" required minlength="\(PasswordHasher.minimumLength)" \
            autocomplete="new-password" dir="ltr"></label>
            <label>\(page(.role))<select name="role">\(Vocabulary.options(roles, selected: "read", page.language))</select></label></div>
            <div><button type="submit" class="button primary">\(page(.addAccount))</button></div>
            """
        return """
            \(Layout.heading(page(.accounts), subtitle: HTML(text: page(.accountsIntro))))
            <section class="card flush"><table class="list"><thead><tr><th>\(page(.username))</th><th>\(page(.role))</th>\
            <th>\(page(.createdAt))</th><th></th></tr></thead><tbody>\(rows)</tbody></table></section>
            <section class="card"><h2>\(page(.addAccount))</h2>\(page.form("/accounts", fields))</section>
            """
    }
}
