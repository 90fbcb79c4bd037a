import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// Sign-in, sessions and forged forms.
@Suite struct DashboardSecurityTests {
    @Test(arguments: [("admin-user", "wrong password!"), ("nobody", DashboardFixture.password), ("", "")])
    func signIn_withWrongCredentials_showsMessageAndOpensNoSession(username: String, password: String) async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            let response = try await browser.signIn(username, password: password)
            #expect(response.status == .unauthorized)
            #expect(String(buffer: response.body).contains("اسم المستخدم أو كلمة المرور غير صحيحة."))
            #expect(browser.cookies["hub_session"] == nil)
            #expect(try await browser.get("/proposals").status == .seeOther)
        }
    }

    @Test func signIn_inFrench_saysSoInFrench() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.get("/login?lang=fr")
            let response = try await browser.post("/login", ["username": "read-user", "password": "nope-nope-nope"])
            let page = String(buffer: response.body)
            #expect(page.contains("<html lang=\"fr\" dir=\"ltr\">"))
            #expect(page.contains("Nom d’utilisateur ou mot de passe incorrect."))
        }
    }

    @Test func signIn_thenSignOut_endsTheSession() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            #expect(try await browser.signIn("read-user").headers[.location] == "/proposals")
            let token = try #require(browser.cookies["hub_session"])
            #expect(try await browser.get("/proposals").status == .ok)
            #expect(try await browser.post("/logout", [:]).headers[.location] == "/login")
            #expect(try await fixture.accounts.session(token: token) == nil)
        }
    }

    @Test func signIn_goesBackToTheRequestedPage_butNeverOffSite() async throws {
        #expect(DashboardRoutes.safeTarget("/charts?lang=fr") == "/charts?lang=fr")
        for hostile in ["//evil.example", "https://evil.example", "/\\evil", nil, "", "/login"] {
            #expect(DashboardRoutes.safeTarget(hostile) == "/proposals")
        }
    }

    @Test func post_withoutOrWithWrongToken_isRefusedAndChangesNothing() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.signIn("admin-user")
            let path = "/proposals/\(fixture.proposal)/answer"
            for token in [String?.none, "forged", String(repeating: "A", count: 43)] {
                let response = try await browser.post(path, ["status": "done"], token: .some(token))
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("تم رفض الاستمارة"))
            }
            #expect(try await browser.post(path, ["status": "done"]).status == .seeOther)
        }
        #expect(try fixture.hub.proposal(fixture.proposal)?.status == "done")
    }

    @Test func post_fromAnotherSite_isRefused() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.signIn("admin-user")
            let headers: HTTPFields = [
                .contentType: "application/x-www-form-urlencoded",
                .cookie: "hub_session=\(browser.cookies["hub_session"] ?? "")",
                .init("Sec-Fetch-Site")!: "cross-site",
            ]
            let response = try await client.executeRequest(
                uri: "/proposals/\(fixture.proposal)/answer",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: "_csrf=\(browser.formToken ?? "")&status=done")
            )
            #expect(response.status == .forbidden)
        }
        #expect(try fixture.hub.proposal(fixture.proposal)?.status == "submitted")
    }

    @Test func session_endsAfterEightIdleHours() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.signIn("read-user")
            fixture.clock.advance(by: 7 * 3_600_000)
            #expect(try await browser.get("/proposals").status == .ok)
            fixture.clock.advance(by: 7 * 3_600_000)
            #expect(try await browser.get("/proposals").status == .ok)
            fixture.clock.advance(by: 8 * 3_600_000 + 60_000)
            let response = try await browser.get("/proposals")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/login?next=%2Fproposals")
        }
    }

    @Test func session_endsAfterADayEvenWhenUsed() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.signIn("read-user")
            for _ in 0..<3 {
                fixture.clock.advance(by: 7 * 3_600_000)
                #expect(try await browser.get("/charts").status == .ok)
            }
            fixture.clock.advance(by: 4 * 3_600_000)
            #expect(try await browser.get("/charts").status == .seeOther)
        }
    }

    @Test func pages_carryAStrictContentSecurityPolicy_andEscapeContent() async throws {
        let fixture = try await DashboardFixture()
        let id = try fixture.hub.createProposal(
            ProposalDraft(title: "<script>alert(1)</script>", body: "\"quoted\" & 'single'", commune: "tamanar")
        )
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.signIn("read-user")
            let response = try await browser.get("/proposals/\(id)")
            #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            let page = String(buffer: response.body)
            #expect(!page.contains("<script>alert"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.contains("&quot;quoted&quot; &amp; &#39;single&#39;"))
        }
    }
}
