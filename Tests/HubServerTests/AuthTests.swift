import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncHTTP
import SyncTestSupport
import Testing

@testable import HubServer

@Suite struct AuthTests {
    @Test(arguments: [nil, "Bearer esw1.nope.nope", "Basic dXNlcjpwYXNz", "Bearer", "esw1.x.y"])
    func hello_withoutValidCredential_is401(authorization: String?) async throws {
        let fixture = try HubFixture()
        _ = try fixture.enroll("essaouira")
        let hello = try Wire.hello(for: try fixture.replica("a"))
        try await fixture.makeApp().test(.router) { client in
            var headers: HTTPFields = [.contentType: "application/json"]
            if let authorization { headers[.authorization] = authorization }
            let response = try await client.executeRequest(
                uri: "/v1/hello",
                method: .post,
                headers: headers,
                body: try Wire.encode(hello)
            )
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try Wire.decode(ErrorResponse.self, response).error.code == "unauthorized")
        }
    }

    @Test func hello_tokenOfAnotherEnrollment_is401() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("essaouira")
        let tampered = String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A")
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post(
                "/v1/pull",
                token: tampered,
                json: PullRequest(vector: VersionVector(), limit: 10)
            )
            #expect(response.status == .unauthorized)
        }
    }

    @Test func request_afterRevoke_is401() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("tamanar")
        let enrollment = try #require(try fixture.hub.enrollments().first)
        let pull = PullRequest(vector: VersionVector(), limit: 10)
        try await fixture.makeApp().test(.router) { client in
            #expect(try await client.post("/v1/pull", token: token, json: pull).status == .ok)
            try fixture.hub.revoke(enrollment: enrollment.id)
            let response = try await client.post("/v1/pull", token: token, json: pull)
            #expect(response.status == .unauthorized)
            #expect(try Wire.decode(ErrorResponse.self, response).error.message.contains("revoked"))
        }
    }

    @Test func push_changeFromAnotherCommune_is403_andAppliesNothing() async throws {
        let fixture = try HubFixture()
        let essaouira = try fixture.replica("essaouira")
        let (tokenE, tokenT) = (try fixture.enroll("essaouira"), try fixture.enroll("tamanar"))
        _ = try essaouira.createProposal(ProposalDraft(title: "Marché", body: "…", commune: "essaouira"))
        let batch = try essaouira.changes(since: VersionVector(), limit: 100)
        let hello = try Wire.hello(for: essaouira)
        let digestBefore = try fixture.hub.digest()
        try await fixture.makeApp().test(.router) { client in
            #expect(try await client.post("/v1/hello", token: tokenE, json: hello).status == .ok)
            let forged = try await client.post("/v1/push", token: tokenT, json: batch)
            #expect(forged.status == .forbidden)
            let error = try Wire.decode(ErrorResponse.self, forged)
            #expect(error.error.code == "forbidden")
            #expect(error.error.message.contains(essaouira.replicaID.rawValue))
        }
        #expect(try fixture.hub.vector() == VersionVector())
        #expect(try fixture.hub.digest() == digestBefore)
    }

    @Test func hello_identityBoundToAnotherCommune_is403() async throws {
        let fixture = try HubFixture()
        let laptop = try fixture.replica("laptop")
        let (tokenO, tokenT) = (try fixture.enroll("ounagha"), try fixture.enroll("tamanar"))
        let hello = try Wire.hello(for: laptop)
        try await fixture.makeApp().test(.router) { client in
            let first = try await client.post("/v1/hello", token: tokenO, json: hello)
            let second = try await client.post("/v1/hello", token: tokenT, json: hello)
            #expect(first.status == .ok)
            #expect(second.status == .forbidden)
        }
    }

    @Test func bearerToken_parsesSchemeCaseInsensitively() throws {
        #expect(try BearerAuthMiddleware<HubRequestContext>.bearerToken(in: [.authorization: "bearer  abc"]) == "abc")
        #expect(throws: SyncError.self) { try BearerAuthMiddleware<HubRequestContext>.bearerToken(in: [:]) }
    }
}
