import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

@Suite struct HealthRoutesTests {
    @Test func health_answersOkWithHubReplica() async throws {
        let fixture = try HubFixture()
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.executeRequest(uri: "/health", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            let body = try #require(
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: String]
            )
            #expect(body == ["status": "ok", "replica": fixture.hub.replicaID.rawValue])
        }
    }

    @Test func metrics_countRequestsByRouteAndStatus_andChanges() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("essaouira")
        let replica = try fixture.replica("essaouira")
        _ = try replica.createProposal(ProposalDraft(title: "Bibliothèque", body: "مكتبة", commune: "essaouira"))
        _ = try replica.createProposal(ProposalDraft(title: "Jardin", body: "حديقة", commune: "essaouira"))
        let batch = try replica.changes(since: VersionVector(), limit: 100)
        try await fixture.makeApp().test(.router) { client in
            _ = try await client.post("/v1/pull", token: nil, json: PullRequest(vector: VersionVector(), limit: 5))
            _ = try await client.post("/v1/push", token: token, json: batch)
            _ = try await client.post("/v1/pull", token: token, json: PullRequest(vector: VersionVector(), limit: 5))
            let response = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            #expect(text.contains(#"hub_http_requests_total{route="/v1/pull",method="POST",status="401"} 1"#))
            #expect(text.contains(#"hub_http_requests_total{route="/v1/push",method="POST",status="200"} 1"#))
            #expect(text.contains("hub_changes_applied_total 2"))
            #expect(text.contains("hub_changes_pulled_total 2"))
            #expect(text.contains(#"hub_http_request_duration_seconds_count{route="/v1/push"} 1"#))
        }
    }
}
