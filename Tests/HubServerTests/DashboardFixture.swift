import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SyncCore
import SyncTestSupport

@testable import HubServer

/// A hub with three dashboard accounts (read, answer, admin), a manual wall clock, and a
/// proposal; and a cookie-keeping client for its pages.
struct DashboardFixture {
    static let password = "une-phrase-de-passe-longue"

    let folder: TemporaryDirectory
    let clock = ManualClock()
    let hub: ReplicaStore
    /// The dashboard's accounts, in the hub's file.
    let accounts: SQLiteAccountStore
    let proposal: String

    init() async throws {
        folder = try TemporaryDirectory()
        hub = try ReplicaStore(path: folder.path("hub.sqlite"), wallClock: clock.read)
        accounts = try SQLiteAccountStore(hub)
        let hasher = PasswordHasher(logRounds: 10)
        for role in AccountRole.allCases {
            try await accounts.createAccount(
                username: "\(role.rawValue)-user",
                role: role,
                passwordHash: try hasher.hash(Self.password)
            )
        }
        proposal = try hub.createProposal(
            ProposalDraft(title: "ساحة مولاي الحسن", body: "نقترح إعادة تهيئة الساحة", commune: "essaouira")
        )
    }

    /// The hub's application, as `hub-server serve` builds it.
    func makeApp(
        configuration: HubConfiguration = HubConfiguration(host: "127.0.0.1", port: 0),
        metrics: HubMetrics = HubMetrics()
    ) throws -> some ApplicationProtocol {
        var logger = Logger(label: "dashboard-tests")
        logger.logLevel = .critical
        return try buildApplication(configuration: configuration, store: hub, metrics: metrics, logger: logger)
    }
}

/// A browser for the router test client: keeps cookies and the page's form token.
struct PageClient {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// The `_csrf` value of the last page that had a form.
    var formToken: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// Headers sent with every request (such as `Host` or `X-Forwarded-Proto`).
    var extraHeaders: HTTPFields = [:]

    /// GETs a page, keeping its cookies and form token.
    @discardableResult
    mutating func get(_ uri: String) async throws -> TestResponse {
        let response = try await client.executeRequest(uri: uri, method: .get, headers: headers(), body: nil)
        keep(response)
        return response
    }

    /// POSTs a form, with the page's token unless `token` says otherwise (`.some(nil)` sends none).
    @discardableResult
    mutating func post(_ uri: String, _ fields: [String: String], token: String?? = .none) async throws -> TestResponse
    {
        var form = fields
        if let sent = token ?? formToken { form["_csrf"] = sent }
        let body = form.keys.sorted().map { "\(escape($0))=\(escape(form[$0] ?? ""))" }.joined(separator: "&")
        var headers = headers()
        headers[.contentType] = "application/x-www-form-urlencoded"
        let response = try await client.executeRequest(
            uri: uri,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: body)
        )
        keep(response)
        return response
    }

    /// Signs in (after loading the sign-in page for its token) and loads the proposals.
    ///
    /// - Returns: The status of the sign-in answer.
    @discardableResult
    mutating func signIn(_ username: String, password: String = DashboardFixture.password) async throws -> TestResponse
    {
        try await get("/login")
        let response = try await post("/login", ["username": username, "password": password])
        if response.status == .seeOther { try await get("/proposals") }
        return response
    }

    private func headers() -> HTTPFields {
        var headers = extraHeaders
        if !cookies.isEmpty {
            headers[.cookie] = cookies.keys.sorted().map { "\($0)=\(cookies[$0] ?? "")" }.joined(separator: "; ")
        }
        return headers
    }

    private mutating func keep(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            cookies[String(pair[0])] = pair[1].isEmpty ? nil : String(pair[1])
        }
        let text = String(buffer: response.body)
        if let range = text.range(of: "name=\"_csrf\" value=\"") {
            formToken = String(text[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    private func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
