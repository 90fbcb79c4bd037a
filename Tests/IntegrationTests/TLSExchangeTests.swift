import Foundation
import Hummingbird
import Logging
import SyncCore
import SyncHTTP
import SyncTestSupport
import Testing

@testable import HubServer
@testable import ReplicaNode

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A replica syncing with a hub that serves HTTPS with a certificate from a provincial CA
/// (`hub-server serve --tls-cert --tls-key`, `replica-node init --ca-file`).
@Suite struct TLSExchangeTests {
    /// Serves the hub over HTTPS on a free loopback port while `body` runs.
    static func serveTLS<T: Sendable>(
        _ store: ReplicaStore,
        _ files: TestCertificates,
        _ body: @Sendable (URL) async throws -> T
    ) async throws -> T {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        var configuration = HubConfiguration(host: "127.0.0.1", port: 0)
        configuration.tls = try HubConfiguration.loadTLS(certificatePath: files.certificate, keyPath: files.key)
        let app = try buildApplication(
            configuration: configuration,
            store: store,
            logger: Logger(label: "hub-tls", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { _, port in announce.yield(port ?? 0) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var port = 0
            for await bound in ports {
                port = bound
                break
            }
            let result = try await body(URL(string: "https://localhost:\(port)")!)
            group.cancelAll()
            return result
        }
    }

    static func transport(_ hub: URL, token: String, client: any HubHTTPClient) -> HTTPSyncTransport<ContinuousClock> {
        // The default request timeout: the test is about trust, and a full test run keeps the
        // machine busy enough that a few seconds can pass before the hub answers.
        HTTPSyncTransport(hub: hub, token: token, session: client, timeout: .seconds(30), retries: 0, clock: .init())
    }

    @Test func exchange_overHTTPS_withCAFile_converges_andSystemTrustRefusesTheCA() async throws {
        let folder = try TemporaryDirectory()
        let files = try TestCertificates(in: folder)
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        let (_, token) = try hub.enroll(commune: "tamanar", label: "laptop")
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        _ = try laptop.createProposal(ProposalDraft(title: "ⴰⵙⴰⵢⵙ", body: "Tamanar", commune: "tamanar"))
        let untrusted: String = try await Self.serveTLS(hub, files) { url in
            let pinned = Self.transport(url, token: token, client: try CAFileHTTPClient(caFile: files.ca))
            let report = try await SyncClient(store: laptop, transport: pinned).synchronize()
            #expect(report.digestsMatch)
            let system = Self.transport(url, token: token, client: HTTPSyncTransport<ContinuousClock>.defaultClient)
            do {
                _ = try await SyncClient(store: laptop, transport: system).synchronize()
                return "accepted"
            } catch let error as SyncError {
                return error.message
            }
        }
        #expect(try hub.digest() == (try laptop.digest()))
        #expect(untrusted.contains("unreachable"), "the system trust store accepted a private CA: \(untrusted)")
    }

    @Test func caFile_unreadable_isRefused() {
        #expect(throws: (any Error).self) { try CAFileHTTPClient(caFile: "/nonexistent/ca.pem") }
    }

    @Test func nodeSettings_keepCAFile() throws {
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("office.sqlite"))
        let token = "esw1.01a224ea-ffb6-78a7-bc88-010e53f9b3db.3Rwkeb6jGgz7NPIaA21GwXyLbo9Pun19HJcjqox85N8"
        var settings = NodeSettings(
            commune: "ounagha",
            hub: URL(string: "https://hub")!,
            token: token,
            caFile: "/ca.pem"
        )
        try settings.save(to: store)
        #expect(try NodeSettings.load(from: store).caFile == "/ca.pem")
        settings.caFile = nil
        try settings.save(to: store)
        #expect(try NodeSettings.load(from: store).caFile == nil)
    }
}
