import Hummingbird
import Testing
import WebUI

@testable import HubServer

/// The `next` parameter after sign-in leads to a page of the dashboard, never off the site.
@Suite struct SignInTargetTests {
    @Test(arguments: [
        "/charts?lang=fr", "/proposals/0193aa?done=answered#c-1", "/accounts", "/proposals?q=%D8%A7",
    ])
    func safeTarget_keepsLocalPaths(next: String) {
        #expect(DashboardRoutes.safeTarget(next) == next)
    }

    @Test(arguments: [
        "/\t/evil.example", "/\t\t/evil.example", "\t//evil.example", "/\r\n/evil.example", "/\n/evil.example",
        "/\u{0}/evil.example", "/\u{7F}/evil.example", "/\u{85}/evil.example", "/\u{9B}/evil.example",
        "/\\evil.example", "\\\\evil.example", "/x\\y", "//evil.example", "///evil.example",
        "https://evil.example", "http:evil.example", "javascript:alert(1)", "evil.example", "",
        "/%09/evil.example", "/%2F/evil.example", "/%5Cevil.example", "/%0D%0A/evil.example", "/%zz",
        "/proposals ", " /proposals", "/ائتلاف", "/login", "/login?next=/x", "/logout",
    ])
    func safeTarget_refusesEverythingElse(next: String) {
        #expect(DashboardRoutes.safeTarget(next) == "/proposals")
    }

    @Test func safeTarget_withoutNext_isTheProposals() {
        #expect(DashboardRoutes.safeTarget(nil) == "/proposals")
    }

    @Test func redirect_neverLeadsOffSite() {
        #expect(WebResponse.redirect("/\t/evil.example").headers[.location] == "/")
        #expect(WebResponse.redirect("/proposals/1?done=x").headers[.location] == "/proposals/1?done=x")
    }
}
