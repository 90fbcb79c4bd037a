import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// Sign-in lockouts, account names in any case, Host and Origin checks, and cookies over HTTPS.
@Suite struct DashboardHardeningTests {
    private static func configuration(_ change: (inout HubConfiguration) -> Void = { _ in }) -> HubConfiguration {
        var configuration = HubConfiguration(host: "127.0.0.1", port: 0)
        change(&configuration)
        return configuration
    }

    // MARK: - Sign-in lockouts

    @Test func signIn_afterRepeatedFailures_is429WithRetryAfter_andHashesNothing() async throws {
        let fixture = try await DashboardFixture()
        let metrics = HubMetrics()
        let app = try fixture.makeApp(
            configuration: Self.configuration { $0.signInPolicy.baseLockout = .seconds(3_600) },
            metrics: metrics
        )
        try await app.test(.router) { client in
            var browser = PageClient(client)
            try await browser.get("/login?lang=fr")
            for _ in 0..<6 {
                let refused = try await browser.post("/login", ["username": "ANSWER-user", "password": "wrong-guess!"])
                #expect(refused.status == .unauthorized)
            }
            let hashed = try #require(Self.gauge("hub_password_hashes_completed", metrics))
            #expect(hashed >= 6)
            // Even the right password waits now, and no hash is computed for it.
            let locked = try await browser.post(
                "/login",
                ["username": "answer-user", "password": DashboardFixture.password]
            )
            #expect(locked.status == .tooManyRequests)
            #expect(Int(locked.headers[.retryAfter] ?? "") ?? 0 > 800)
            #expect(String(buffer: locked.body).contains("Trop d’essais de connexion manqués"))
            #expect(browser.cookies["hub_session"] == nil)
            #expect(Self.gauge("hub_password_hashes_completed", metrics) == hashed)
            // Another account is not locked by these failures.
            let signedIn1 = try await browser.signIn("read-user")
            #expect(signedIn1.status == .seeOther)
        }
    }

    @Test func signIn_inArabic_saysHowLongToWait() async throws {
        let fixture = try await DashboardFixture()
        // A lockout longer than any test takes: the second attempt finds the account still locked
        // however slowly the machine hashes the first.
        let app = try fixture.makeApp(
            configuration: Self.configuration {
                $0.signInPolicy.freeFailures = 0
                $0.signInPolicy.baseLockout = .seconds(3_600)
            }
        )
        try await app.test(.router) { client in
            var browser = PageClient(client)
            try await browser.get("/login")
            _ = try await browser.post("/login", ["username": "read-user", "password": "wrong-guess!"])
            let locked = try await browser.post("/login", ["username": "read-user", "password": "wrong-guess!"])
            #expect(locked.status == .tooManyRequests)
            #expect(String(buffer: locked.body).contains("محاولات دخول خاطئة كثيرة"))
        }
    }

    private static func onThread<Value: Sendable>(
        _ work: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private static func gauge(_ name: String, _ metrics: HubMetrics) -> Int? {
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "").map { Int($0) } }
    }

    // MARK: - Account names in any case

    @Test func admin_cannotDemoteOrDeleteThemselves_byAnySpelling() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            let signedIn2 = try await browser.signIn("ADMIN-User")
            #expect(signedIn2.status == .seeOther)
            try await browser.get("/accounts")
            for spelling in ["ADMIN-USER", "Admin-User", "admin-user"] {
                let demoted = try await browser.post("/accounts/\(spelling)/role", ["role": "read"])
                #expect(demoted.status == .badRequest)
                let deleted = try await browser.post("/accounts/\(spelling)/delete", [:])
                #expect(deleted.status == .badRequest)
            }
            #expect(try await fixture.accounts.account(named: "admin-user")?.role == .admin)
            let twin = try await browser.post(
                "/accounts",
                ["username": "Read-User", "password": DashboardFixture.password, "role": "admin"]
            )
            #expect(twin.status == .badRequest)
            #expect(try await fixture.accounts.accounts().count == 3)
            // Another account is changed whatever the spelling.
            #expect(try await browser.post("/accounts/READ-USER/role", ["role": "answer"]).status == .seeOther)
            #expect(try await fixture.accounts.account(named: "read-user")?.role == .answer)
        }
    }

    @Test func olderDatabase_withNamesDifferingOnlyByCase_keepsWorking() async throws {
        let fixture = try await DashboardFixture()
        let hash = try #require(try await fixture.accounts.credential(of: "admin-user")?.passwordHash)
        // Written before names were folded to lowercase: another process adds "Admin-User".
        let insert = try runProgram(
            "/usr/bin/sqlite3",
            [
                fixture.hub.path,
                "INSERT INTO hub_account(username, role, password_hash, created_at) "
                    + "VALUES ('Admin-User', 'read', '\(hash)', 0)",
            ]
        )
        #expect(insert.status == 0)
        #expect(try await fixture.accounts.account(named: "admin-user")?.role == .admin)
        #expect(try await fixture.accounts.account(named: "Admin-User")?.role == .read)
        await #expect(throws: SyncError.self) { try await fixture.accounts.account(named: "ADMIN-USER") }
        #expect(try await fixture.accounts.credential(of: "ADMIN-USER") == nil)
        try await fixture.makeApp().test(.router) { client in
            var exact = PageClient(client)
            let signedIn3 = try await exact.signIn("Admin-User")
            #expect(signedIn3.status == .seeOther)
            #expect(try await exact.get("/accounts").status == .forbidden)
            var ambiguous = PageClient(client)
            let signedIn4 = try await ambiguous.signIn("ADMIN-USER")
            #expect(signedIn4.status == .unauthorized)
            var admin = PageClient(client)
            let signedIn5 = try await admin.signIn("admin-user")
            #expect(signedIn5.status == .seeOther)
            try await admin.get("/accounts")
            #expect(try await admin.post("/accounts/Admin-User/delete", [:]).status == .seeOther)
        }
        #expect(try await fixture.accounts.accounts().map(\.username) == ["admin-user", "answer-user", "read-user"])
    }

    // MARK: - Host and Origin

    @Test func publicHost_refusesOtherHostNames_with421() async throws {
        let fixture = try await DashboardFixture()
        let app = try fixture.makeApp(
            configuration: Self.configuration { $0.publicHosts = ["hub.example.ma", "Hub.Example.org:8443"] }
        )
        try await app.test(.live) { client in
            let port = try #require(client.port)
            for (host, status) in [
                ("evil.example", "421"), ("hub.example.ma:8443", "200"), ("HUB.example.ma.", "200"),
                ("127.0.0.1:\(port)", "200"), ("hub.example.org", "200"), ("example.org", "421"),
            ] {
                let socket = try LoopbackSocket(port: port)
                defer { socket.close() }
                let answer = try await socket.exchange(
                    "GET /login HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
                )
                #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "\(host): \(answer.prefix(40))")
                if status == "421" { #expect(answer.contains("هذا الخادم لا يجيب على هذا الاسم")) }
            }
        }
    }

    @Test func anyHost_isServed_withoutPublicHost() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.live) { client in
            let socket = try LoopbackSocket(port: try #require(client.port))
            defer { socket.close() }
            let answer = try await socket.exchange("GET /login HTTP/1.1\r\nHost: hub.lan\r\nConnection: close\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test(arguments: [
        ("Origin", "http://evil.example"), ("Origin", "null"), ("Referer", "http://evil.example/page"),
        ("Origin", "http://localhost.evil.example"),
    ])
    func post_fromAnotherSite_is403_andChangesNothing(header: String, value: String) async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            try await browser.get("/login?lang=fr")
            browser.extraHeaders[.init(header)!] = value
            let response = try await browser.post(
                "/login",
                ["username": "admin-user", "password": DashboardFixture.password]
            )
            #expect(response.status == .forbidden)
            #expect(String(buffer: response.body).contains("envoyé depuis la page d’un autre site"))
            #expect(browser.cookies["hub_session"] == nil)
        }
    }

    @Test func post_fromThisSite_passes() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            browser.extraHeaders = [.origin: "http://localhost:8080", .referer: "http://localhost:8080/login"]
            let signedIn6 = try await browser.signIn("admin-user")
            #expect(signedIn6.status == .seeOther)
        }
    }

    // MARK: - Cookies over HTTPS

    @Test func behindHTTPSProxy_forwardedHTTPS_marksCookiesSecure_andSendsHSTS() async throws {
        let fixture = try await DashboardFixture()
        let app = try fixture.makeApp(configuration: Self.configuration { $0.behindHTTPSProxy = true })
        try await app.test(.router) { client in
            var browser = PageClient(client)
            browser.extraHeaders = [.init("X-Forwarded-Proto")!: "https"]
            let page = try await browser.get("/login")
            #expect(page.headers[values: .setCookie].allSatisfy { $0.contains("; Secure") })
            #expect(page.headers[.strictTransportSecurity] == "max-age=31536000")
            let signedIn = try await browser.signIn("read-user")
            let session = signedIn.headers[values: .setCookie].first { $0.hasPrefix("hub_session=") }
            #expect(session?.contains("; Secure") == true)
            #expect(session?.contains("HttpOnly") == true)
            let health = try await client.executeRequest(
                uri: "/health",
                method: .get,
                headers: browser.extraHeaders,
                body: nil
            )
            #expect(health.headers[.strictTransportSecurity] == "max-age=31536000")
        }
    }

    @Test func forwardedHTTPS_isIgnored_withoutBehindHTTPSProxy() async throws {
        let fixture = try await DashboardFixture()
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            browser.extraHeaders = [.init("X-Forwarded-Proto")!: "https"]
            let page = try await browser.get("/login")
            #expect(!page.headers[values: .setCookie].isEmpty)
            #expect(page.headers[values: .setCookie].allSatisfy { !$0.contains("Secure") })
            #expect(page.headers[.strictTransportSecurity] == nil)
            let signedIn = try await browser.signIn("read-user")
            #expect(signedIn.headers[values: .setCookie].allSatisfy { !$0.contains("Secure") })
        }
    }

    @Test func directTLS_marksCookiesSecure_andSendsHSTS() async throws {
        let fixture = try await DashboardFixture()
        let files = try TestCertificates(in: fixture.folder)
        let tls = try HubConfiguration.loadTLS(certificatePath: files.certificate, keyPath: files.key)
        try await fixture.makeApp(configuration: Self.configuration { $0.tls = tls }).test(.live) { client in
            let port = try #require(client.port)
            // curl runs on a thread of its own: a blocking wait on one of the few cooperative
            // threads could starve the server under test, which answers on them.
            let arguments = ["--silent", "--max-time", "60", "--include", "--cacert", files.ca]
            let answer = try await Self.onThread {
                try runProgram("/usr/bin/curl", arguments + ["https://localhost:\(port)/login"])
            }
            #expect(answer.status == 0)
            let headers = answer.output.lowercased()
            #expect(headers.contains("strict-transport-security: max-age=31536000"))
            #expect(headers.contains("set-cookie: csrf="))
            let cookie = headers.components(separatedBy: "\r\n").first { $0.hasPrefix("set-cookie: csrf=") } ?? ""
            #expect(cookie.contains("; secure"))
        }
    }
}
