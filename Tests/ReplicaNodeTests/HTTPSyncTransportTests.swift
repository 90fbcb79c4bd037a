import Foundation
import SyncCore
import SyncHTTP
import SyncTestSupport
import Testing

@testable import ReplicaNode

/// The HTTP client against a real HTTP server on loopback that serves a real store.
@Suite struct HTTPSyncTransportTests {
    private let folder: TemporaryDirectory
    private let local: ReplicaStore
    private let hub: TestHub

    init() throws {
        folder = try TemporaryDirectory()
        local = try ReplicaStore(path: folder.path("local.sqlite"))
        hub = TestHub(store: try ReplicaStore(path: folder.path("hub.sqlite")))
    }

    private func transport(
        _ url: URL,
        token: String = TestHub.token,
        retries: Int = 3,
        timeout: Duration = .seconds(10),
        clock: StepClock = StepClock()
    ) -> HTTPSyncTransport<StepClock> {
        HTTPSyncTransport(
            hub: url,
            token: token,
            session: HTTPSyncTransport<StepClock>.defaultClient,
            timeout: timeout,
            retries: retries,
            clock: clock,
            jitter: { 0.5 }
        )
    }

    private func hello() throws -> HelloRequest {
        HelloRequest(replica: local.replicaID, vector: try local.vector(), schemaVersion: local.schema.version)
    }

    @Test func synchronize_convergesOverHTTPKeepingArabicBytes() async throws {
        let title = "إحداث فضاء رقمي للشباب ⵜⴰⵎⴰⵣⵉⵖⵜ"
        try local.createProposal(ProposalDraft(title: title, body: "نص", commune: "essaouira"))
        try hub.store.createProposal(ProposalDraft(title: "Nettoyage de la plage", body: "tri", commune: "tamanar"))
        let report = try await hub.serve { url in
            try await SyncClient(store: local, transport: transport(url), peerName: url.absoluteString, batchLimit: 1)
                .synchronize()
        }
        #expect(report.digestsMatch)
        #expect(report.pushed > 0 && report.pulled > 0)
        #expect(try hub.store.digest() == local.digest())
        #expect(try hub.store.proposals().contains { Array($0.title.utf8) == Array(title.utf8) })
    }

    @Test func pushBody_isGzipFromOneKiB_andThePushIsAppliedByTheHub() async throws {
        let small = [UInt8](
            repeating: UInt8(ascii: "a"),
            count: HTTPSyncTransport<StepClock>.pushCompressionThreshold - 1
        )
        #expect(HTTPSyncTransport<StepClock>.pushBody(small) == (small, nil))
        for index in 0..<40 {
            try local.createProposal(
                ProposalDraft(
                    title: "مقترح \(index)",
                    body: String(repeating: "نص طويل ", count: 20),
                    commune: "tamanar"
                )
            )
        }
        let batch = try local.changes(since: VersionVector(), limit: 100)
        let json = batch.json()
        let (body, encoding) = HTTPSyncTransport<StepClock>.pushBody(json)
        #expect(encoding == "gzip" && body.count < json.count / 4)
        #expect(Array(body.prefix(2)) == [0x1f, 0x8b])
        let answer = try await hub.serve { url in try await transport(url).push(batch) }
        #expect(answer.applied == 40)
        #expect(try hub.store.proposals().count == 40)
    }

    @Test func hello_withAWrongTokenIsUnauthorizedWithTheHubsMessageAndNoRetry() async throws {
        let clock = StepClock()
        await #expect {
            try await hub.serve { url in try await transport(url, token: "esw1.x.wrong", clock: clock).hello(hello()) }
        } throws: { error in
            let error = error as? SyncError
            return error?.code == .unauthorized && error?.message.contains("unknown credential") == true
        }
        #expect(hub.requestCount == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func hello_retriesServerErrorsWithBackoff() async throws {
        let clock = StepClock()
        hub.inject([.status(503), .status(500)])
        let answer = try await hub.serve { url in try await transport(url, clock: clock).hello(hello()) }
        #expect(answer.replica == hub.store.replicaID)
        #expect(hub.requestCount == 3)
        #expect(clock.sleeps == [.milliseconds(375), .milliseconds(750)])
    }

    @Test func hello_givesUpAfterItsRetriesWithATransportError() async throws {
        hub.inject(Array(repeating: .status(503), count: 5))
        await #expect {
            try await hub.serve { url in try await transport(url, retries: 2).hello(hello()) }
        } throws: { error in
            (error as? SyncError)?.code == .transport && "\(error)".contains("HTTP 503")
        }
        #expect(hub.requestCount == 3)
    }

    @Test func hello_toAClosedPortSaysTheHubIsUnreachable() async throws {
        let clock = StepClock()
        let url = URL(string: "http://127.0.0.1:\(try LoopbackPort.free())")!
        await #expect {
            try await transport(url, retries: 2, clock: clock).hello(hello())
        } throws: { error in
            (error as? SyncError)?.code == .transport && "\(error)".contains("unreachable (connection refused)")
        }
        #expect(clock.sleeps.count == 2)
    }

    @Test func hello_timesOutASilentHub() async throws {
        hub.inject([.delay(.seconds(5))])
        await #expect {
            try await hub.serve { url in try await transport(url, retries: 0, timeout: .seconds(1)).hello(hello()) }
        } throws: { error in
            (error as? SyncError)?.code == .transport && "\(error)".contains("unreachable")
        }
    }
}
