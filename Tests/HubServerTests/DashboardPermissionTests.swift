import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// Every dashboard route against every role: what each may open or do.
@Suite struct DashboardPermissionTests {
    /// What a role gets on a route.
    enum Outcome: Sendable {
        case allowed
        case forbidden
        case signIn
    }

    /// A route, the role it needs, and a form to post when it is a POST.
    struct Route: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var path: String
        var needs: AccountRole
        var form: [String: String] = [:]
        var testDescription: String { "\(method) \(path)" }
    }

    static let routes: [Route] = [
        Route(method: .get, path: "/proposals", needs: .read),
        Route(method: .get, path: "/proposals/{id}", needs: .read),
        Route(method: .get, path: "/conflicts", needs: .read),
        Route(method: .get, path: "/charts", needs: .read),
        Route(method: .get, path: "/downloads", needs: .read),
        Route(method: .get, path: "/export.csv", needs: .read),
        Route(method: .get, path: "/export.json", needs: .read),
        Route(method: .post, path: "/proposals/{id}/answer", needs: .answer, form: ["status": "in-review"]),
        Route(method: .post, path: "/proposals/{id}/resolve", needs: .answer, form: ["field": "title", "value": "x"]),
        Route(method: .get, path: "/replicas", needs: .admin),
        Route(method: .get, path: "/accounts", needs: .admin),
        Route(method: .post, path: "/accounts", needs: .admin, form: ["username": "new", "role": "read"]),
    ]

    static let roles: [AccountRole?] = [nil, .read, .answer, .admin]

    @Test(arguments: routes, roles)
    func route_isEnforcedForRole(route: Route, role: AccountRole?) async throws {
        let fixture = try await DashboardFixture()
        let path = route.path.replacingOccurrences(of: "{id}", with: fixture.proposal)
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            if let role {
                #expect(try await browser.signIn("\(role.rawValue)-user").status == .seeOther)
            } else {
                try await browser.get("/login")
            }
            let response =
                route.method == .get ? try await browser.get(path) : try await browser.post(path, route.form)
            let expected: Outcome = role.map { $0.includes(route.needs) ? .allowed : .forbidden } ?? .signIn
            switch expected {
            case .signIn:
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/login") == true)
            case .forbidden:
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("<h1>غير مسموح</h1>"))
            case .allowed:
                #expect(response.status != .forbidden)
                #expect(response.headers[.location]?.hasPrefix("/login") != true)
            }
        }
    }

    @Test func navigation_showsAdminPagesToAdminsOnly() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var reader = PageClient(client)
            try await reader.signIn("read-user")
            let page = String(buffer: try await reader.get("/proposals").body)
            #expect(!page.contains("href=\"/replicas\""))
            var admin = PageClient(client)
            try await admin.signIn("admin-user")
            #expect(String(buffer: try await admin.get("/proposals").body).contains("href=\"/replicas\""))
        }
    }

    @Test func answer_byAnswerRole_isAnOrdinaryWrite() async throws {
        let fixture = try await DashboardFixture()
        let before = try fixture.hub.vector()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.signIn("answer-user")
            try await browser.get("/proposals/\(fixture.proposal)")
            let response = try await browser.post(
                "/proposals/\(fixture.proposal)/answer",
                ["status": "accepted", "answer": "ستنجز الأشغال في 2027"]
            )
            #expect(response.status == .seeOther)
        }
        let proposal = try #require(try fixture.hub.proposal(fixture.proposal))
        #expect(proposal.status == "accepted")
        #expect(proposal.answer == "ستنجز الأشغال في 2027")
        #expect(try fixture.hub.pendingChangeCount(since: before) == 1)
    }
}
