import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

@Suite struct LiveServerTests {
    @Test func exchange_overLoopbackHTTP_converges() async throws {
        let fixture = try HubFixture()
        let tamanar = try fixture.replica("tamanar")
        let essaouira = try fixture.replica("essaouira")
        let (tokenT, tokenE) = (try fixture.enroll("tamanar"), try fixture.enroll("essaouira"))
        let visit = try tamanar.createProposal(
            ProposalDraft(title: "زيارة مدرسية", body: "Visite d'école", commune: "tamanar")
        )
        try await fixture.makeApp().test(.live) { client in
            #expect(client.port != nil)
            _ = try await SyncClient(store: tamanar, transport: TestClientTransport(client: client, token: tokenT))
                .synchronize()
            let report = try await SyncClient(
                store: essaouira,
                transport: TestClientTransport(client: client, token: tokenE)
            )
            .synchronize()
            #expect(report.pulled == 1)
            #expect(report.digestsMatch)
            let health = try await client.executeRequest(uri: "/health", method: .get, headers: [:], body: nil)
            #expect(health.status == .ok)
        }
        #expect(try essaouira.proposal(visit)?.title == "زيارة مدرسية")
        #expect(try essaouira.digest() == (try tamanar.digest()))
    }
}
