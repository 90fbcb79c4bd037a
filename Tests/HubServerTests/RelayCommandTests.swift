import ArgumentParser
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// The arguments of relay enrollment and of upstream syncs: each wrong one is refused with a
/// message naming it.
@Suite struct RelayCommandTests {
    private func message(_ arguments: [String]) -> String? {
        do {
            _ = try HubServerCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return HubServerCommand.message(for: error)
        }
    }

    @Test(arguments: [
        (["--relay", "Essaouira Province"], "invalid province name"),
        (["--relay", "tamanar"], "is a commune"),
        (["--relay", "essaouira-"], "invalid province name"),
        (["--relay", "essaouira-province", "--commune", "tamanar"], "not both"),
        ([], "missing --commune"),
    ])
    func enroll_invalidRelay_isRefusedNamingWhy(arguments: [String], expected: String) {
        let refused = message(["enroll", "--db", "unused.sqlite"] + arguments)
        #expect(refused?.contains(expected) == true, "\(refused ?? "accepted")")
    }

    @Test(arguments: [
        (["--upstream", "http://127.0.0.1:9"], "go together"),
        (["--upstream-token-file", "t"], "go together"),
        (["--upstream-interval", "0"], "--upstream-interval"),
        (["--upstream-max-backoff", "100000"], "--upstream-max-backoff"),
    ])
    func serve_invalidUpstream_isRefusedNamingWhy(arguments: [String], expected: String) {
        let refused = message(["serve"] + arguments)
        #expect(refused?.contains(expected) == true, "\(refused ?? "accepted")")
    }

    @Test func enrollRelay_storesTheKindAndTheProvince() throws {
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        let (relay, token) = try hub.enroll(relay: "essaouira-province", label: "Essaouira hub")
        let stored = try #require(try hub.enrollment(relay.id))
        #expect(stored.kind == .relay)
        #expect(stored.commune == "essaouira-province")
        #expect(try hub.authenticate(token: token).kind == .relay)
        let (replica, _) = try hub.enroll(commune: "tamanar", label: "office")
        #expect(try hub.enrollment(replica.id)?.kind == .replica)
    }

    @Test(arguments: [
        ("", "cannot read the token file"),
        ("not a token\n", "does not hold a credential"),
        ("esw1.abc.def ghi\n", "does not hold a credential"),
    ])
    func upstreamLink_invalidTokenFile_isRefusedNamingIt(content: String, expected: String) throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("upstream.token")
        if !content.isEmpty { try Data(content.utf8).write(to: URL(fileURLWithPath: path)) }
        #expect {
            _ = try UpstreamLink(url: "https://national.example.ma", tokenFile: path, option: "--url")
        } throws: { error in
            (error as? SyncError)?.message.contains(expected) == true
        }
    }

    @Test(arguments: ["ftp://national.example.ma", "national.example.ma", "https://", "https://n.example.ma/?a=1"])
    func upstreamLink_invalidURL_isRefusedNamingTheOption(url: String) throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("upstream.token")
        try Data("esw1.0190.secret\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try UpstreamLink(url: url, tokenFile: path, option: "--upstream")
        } throws: { error in
            (error as? SyncError)?.message.contains("--upstream must be") == true
        }
    }

    @Test func upstreamLink_tokenFileWithTrailingNewline_isRead() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("upstream.token")
        try Data("esw1.0190.secret\n".utf8).write(to: URL(fileURLWithPath: path))
        let link = try UpstreamLink(url: "https://national.example.ma", tokenFile: path, option: "--url")
        #expect(link.token == "esw1.0190.secret")
    }

    @Test func dashboardReplicas_showARelaysDigestAsFiltered_notAsAMismatch() async throws {
        let fixture = try await DashboardFixture()
        let (relay, _) = try fixture.hub.enroll(relay: "essaouira-province", label: "Essaouira hub")
        try fixture.hub.recordExchange(
            enrollment: relay.id,
            vector: VersionVector(),
            digestMatched: nil,
            clockOffsetMillis: 0
        )
        try await fixture.makeApp().test(.router) { client in
            var browser = PageClient(client)
            #expect(try await browser.signIn("admin-user").status == .seeOther)
            let page = String(buffer: try await browser.get("/replicas").body)
            #expect(page.contains("جزئية (مركز إقليمي)"), "the relay's digest is not shown as filtered")
            #expect(!page.contains("مختلفة"), "the relay's digest is shown as a mismatch")
        }
    }
}
