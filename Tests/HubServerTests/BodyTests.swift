import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncHTTP
import SyncTestSupport
import Testing

@testable import HubServer

@Suite struct BodyTests {
    // MARK: - Malformed bodies

    @Test(arguments: [
        ("{", "not valid JSON"),
        ("{}", "missing field 'vector'"),
        (#"{"vector":{},"limit":"ten"}"#, "field 'limit'"),
        (#"{"vector":{"not-a-replica":3},"limit":10}"#, "field 'vector'"),
        ("", "empty"),
    ])
    func pull_malformedBody_is400NamingTheProblem(body: String, expected: String) async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("essaouira")
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/pull", token: token, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            let error = try Wire.decode(ErrorResponse.self, response)
            #expect(error.error.code == "invalid-argument")
            #expect(error.error.message.contains(expected))
        }
    }

    @Test func push_malformedBatch_is400InvalidBatch() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("essaouira")
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/push", token: token, body: ByteBuffer(string: #"{"changes":5}"#))
            #expect(response.status == .badRequest)
            #expect(try Wire.decode(ErrorResponse.self, response).error.code == "invalid-batch")
        }
    }

    // MARK: - Size limits

    @Test func push_oversizedBody_is413() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("essaouira")
        let body = ByteBuffer(string: "{\"pad\":\"" + String(repeating: "x", count: 4_096) + "\"}")
        try await fixture.makeApp(maxBodyBytes: 1_024).test(.router) { client in
            let response = try await client.post("/v1/push", token: token, body: body)
            #expect(response.status == .contentTooLarge)
            #expect(try Wire.decode(ErrorResponse.self, response).error.code == "too-large")
        }
    }

    @Test func push_gzipBombOverLimit_is413() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("essaouira")
        var plain = ByteBuffer(string: "{\"pad\":\"" + String(repeating: "x", count: 200_000) + "\"}")
        let compressed = try plain.compress(with: .gzip())
        #expect(compressed.readableBytes < 4_096)
        try await fixture.makeApp(maxBodyBytes: 8_192).test(.router) { client in
            let response = try await client.post(
                "/v1/push",
                token: token,
                body: compressed,
                headers: [.contentEncoding: "gzip"]
            )
            #expect(response.status == .contentTooLarge)
        }
    }

    // MARK: - Compression

    @Test func push_gzipBody_isAccepted() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("ounagha")
        let replica = try fixture.replica("ounagha")
        _ = try replica.createProposal(ProposalDraft(title: "Piste rurale", body: "مسلك قروي", commune: "ounagha"))
        var plain = try Wire.encode(try replica.changes(since: VersionVector(), limit: 100))
        let compressed = try plain.compress(with: .gzip())
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post(
                "/v1/push",
                token: token,
                body: compressed,
                headers: [.contentEncoding: "gzip"]
            )
            #expect(response.status == .ok)
            #expect(try Wire.decode(PushResponse.self, response).applied == 1)
        }
        #expect(try fixture.hub.digest() == (try replica.digest()))
    }

    @Test func push_corruptGzip_is400() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("ounagha")
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post(
                "/v1/push",
                token: token,
                body: ByteBuffer(string: "not gzip at all"),
                headers: [.contentEncoding: "gzip"]
            )
            #expect(response.status == .badRequest)
        }
    }

    @Test func push_unsupportedEncoding_is400() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("ounagha")
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post(
                "/v1/push",
                token: token,
                body: ByteBuffer(string: "{}"),
                headers: [.contentEncoding: "br"]
            )
            #expect(response.status == .badRequest)
            #expect(try Wire.decode(ErrorResponse.self, response).error.message.contains("Content-Encoding"))
        }
    }

    @Test func pull_largeResponse_isGzippedWhenAccepted() async throws {
        let fixture = try HubFixture()
        let source = try fixture.replica("source")
        for index in 0..<20 {
            _ = try source.createProposal(
                ProposalDraft(title: "Proposition \(index)", body: "نص طويل", commune: "tamanar")
            )
        }
        try fixture.hub.apply(try source.changes(since: VersionVector(), limit: 1_000))
        let token = try fixture.enroll("tamanar")
        let pull = try Wire.encode(PullRequest(vector: VersionVector(), limit: 500))
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post(
                "/v1/pull",
                token: token,
                body: pull,
                headers: [.acceptEncoding: "gzip"]
            )
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == "gzip")
            var body = response.body
            let inflated = try body.decompress(with: .gzip())
            let batch = try JSONDecoder().decode(ChangeBatch.self, from: Data(inflated.readableBytesView))
            #expect(batch.changes.count == 20)
        }
    }

    @Test(arguments: [
        ("gzip, deflate", true), ("br;q=1.0, gzip;q=0.5", true), ("gzip;q=0", false), ("identity", false), ("*", true),
    ])
    func acceptsGzip_readsAcceptEncoding(header: String, expected: Bool) {
        #expect(JSONBody.acceptsGzip(header) == expected)
    }
}
