import Foundation
import Hummingbird
import HummingbirdTesting
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

@Suite struct SyncRoutesTests {
    // MARK: - Exchanges

    @Test func exchange_twoCommunes_convergeThroughHub() async throws {
        let fixture = try HubFixture()
        let essaouira = try fixture.replica("essaouira")
        let ounagha = try fixture.replica("ounagha")
        let (tokenE, tokenO) = (try fixture.enroll("essaouira"), try fixture.enroll("ounagha"))
        let square = try essaouira.createProposal(
            ProposalDraft(title: "تهيئة ساحة المدينة", body: "نص المقترح", category: "urbanisme", commune: "essaouira")
        )
        try essaouira.addSupport(proposal: square, citizen: "citizen-1")
        let well = try ounagha.createProposal(
            ProposalDraft(title: "Puits du douar", body: "ⵜⴰⵎⴰⵣⵉⵖⵜ", commune: "ounagha")
        )
        try await fixture.makeApp().test(.router) { client in
            let clientE = SyncClient(store: essaouira, transport: TestClientTransport(client: client, token: tokenE))
            let clientO = SyncClient(store: ounagha, transport: TestClientTransport(client: client, token: tokenO))
            _ = try await clientE.synchronize()
            let second = try await clientO.synchronize()
            let third = try await clientE.synchronize()
            #expect(second.digestsMatch)
            #expect(third.digestsMatch)
        }
        #expect(try ounagha.proposal(square)?.title == "تهيئة ساحة المدينة")
        #expect(try ounagha.supportCount(proposal: square) == 1)
        #expect(try essaouira.proposal(well)?.body == "ⵜⴰⵎⴰⵣⵉⵖⵜ")
        #expect(try essaouira.digest() == (try fixture.hub.digest()))
        #expect(try ounagha.digest() == (try fixture.hub.digest()))
    }

    @Test func exchange_recordsLastSyncLagAndDigestMatch() async throws {
        let fixture = try HubFixture()
        let laptop = try fixture.replica("laptop")
        let token = try fixture.enroll("tamanar")
        for index in 0..<12 {
            _ = try laptop.createProposal(ProposalDraft(title: "Atelier \(index)", body: "…", commune: "tamanar"))
        }
        try await fixture.makeApp().test(.router) { client in
            let transport = TestClientTransport(client: client, token: token)
            let report = try await SyncClient(store: laptop, transport: transport, batchLimit: 5).synchronize()
            #expect(report.batches > 2)
        }
        let enrollment = try #require(try fixture.hub.enrollments().first)
        #expect(enrollment.lastSyncAt != nil)
        #expect(enrollment.lastDigestMatched == true)
        #expect(enrollment.origins == [laptop.replicaID])
        #expect(try ReplicaReport(enrollment, store: fixture.hub).lag == 0)
        #expect(try ReplicaReport(enrollment, store: fixture.hub).digestMatched == true)
        let versions = try fixture.hub.replicaVersions()[enrollment.id]
        #expect(
            versions
                == ReplicaVersions(schemaVersion: Schema.participation.version, programVersion: ProgramVersion.current)
        )
        #expect(try ReplicaReport(enrollment, store: fixture.hub, versions: versions).mustUpgrade == false)
    }

    @Test func pull_boundedBatches_resumeFromCoveredRanges() async throws {
        let fixture = try HubFixture()
        let source = try fixture.replica("source")
        for index in 0..<9 {
            _ = try source.createProposal(ProposalDraft(title: "Proposition \(index)", body: "…", commune: "essaouira"))
        }
        try fixture.hub.apply(try source.changes(since: VersionVector(), limit: 1_000))
        let token = try fixture.enroll("essaouira")
        let target = try fixture.replica("target")
        try await fixture.makeApp().test(.router) { client in
            var batches = 0
            var batch: ChangeBatch
            repeat {
                let response = try await client.post(
                    "/v1/pull",
                    token: token,
                    json: PullRequest(vector: try target.vector(), limit: 4)
                )
                #expect(response.status == .ok)
                batch = try Wire.decode(ChangeBatch.self, response)
                #expect(batch.changes.count <= 4)
                #expect(!batch.covered.isEmpty)
                try target.apply(batch)
                batches += 1
            } while !batch.isComplete && batches < 50
            #expect(batches > 1)
        }
        #expect(try target.digest() == (try fixture.hub.digest()))
    }

    // MARK: - Refusals

    @Test func hello_otherProtocolVersion_is426WithUpgradeMessage() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("ounagha")
        let replica = try fixture.replica("old")
        var hello = try Wire.hello(for: replica)
        hello.protocolVersion = ProtocolVersion.current + 1
        let request = hello
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/hello", token: token, json: request)
            #expect(response.status == .upgradeRequired)
            let error = try Wire.decode(ErrorResponse.self, response)
            #expect(error.error.code == "protocol-mismatch")
            #expect(error.error.message.contains("upgrade"))
        }
        #expect(try fixture.hub.enrollments().first?.origins.isEmpty == true)
    }

    @Test func hello_newerSchema_isAnswered_withTheDigestOfTheHubsVersion() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("ounagha")
        var hello = try Wire.hello(for: try fixture.replica("new"))
        hello.schemaVersion += 1
        let request = hello
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/hello", token: token, json: request)
            #expect(response.status == .ok)
            let answer = try Wire.decode(HelloResponse.self, response)
            #expect(answer.schemaVersion == Schema.participation.version)
            #expect(answer.digest == (try fixture.hub.digest()))
            #expect(answer.programVersion == ProgramVersion.current)
        }
        let recorded = try fixture.hub.replicaVersions().values.first
        #expect(recorded?.schemaVersion == Schema.participation.version + 1)
    }

    @Test func hello_olderSchema_isAnswered_withTheDigestOfThatVersion() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("ounagha")
        _ = try fixture.hub.createProposal(ProposalDraft(title: "t", body: "b", commune: "ounagha", place: "Douar"))
        var hello = try Wire.hello(for: try fixture.replica("old"))
        hello.schemaVersion = 1
        hello.programVersion = nil
        let request = hello
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/hello", token: token, json: request)
            let answer = try Wire.decode(HelloResponse.self, response)
            #expect(answer.digest == (try fixture.hub.digest(schemaVersion: 1)))
            #expect(answer.digest != (try fixture.hub.digest()))
        }
        let enrollment = try #require(try fixture.hub.enrollments().first)
        let versions = try fixture.hub.replicaVersions()[enrollment.id]
        #expect(versions == ReplicaVersions(schemaVersion: 1, programVersion: nil))
        #expect(versions?.isBehind(schema: Schema.participation.version) == true)
    }

    @Test func hello_presentingHubIdentity_is403() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("essaouira")
        let hello = HelloRequest(replica: fixture.hub.replicaID, vector: VersionVector(), schemaVersion: 1)
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/hello", token: token, json: hello)
            #expect(response.status == .forbidden)
        }
    }

    @Test func push_changeStampedFarInFuture_is422_andAppliesNothing() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("tamanar")
        let year: Int64 = 365 * 24 * 3_600 * 1_000
        let wrongClock = ManualClock(start: SyncClient.systemMillis() + 5 * year)
        let laptop = try ReplicaStore(path: fixture.folder.path("laptop.sqlite"), wallClock: wrongClock.read)
        _ = try laptop.createProposal(ProposalDraft(title: "Atelier jeunesse", body: "…", commune: "tamanar"))
        let batch = try laptop.changes(since: VersionVector(), limit: 100)
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post("/v1/push", token: token, json: batch)
            #expect(response.status == .unprocessableContent)
            #expect(try Wire.decode(ErrorResponse.self, response).error.code == "clock-drift")
        }
        #expect(try fixture.hub.vector() == VersionVector())
    }

    @Test func pull_zeroLimit_is400() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("essaouira")
        try await fixture.makeApp().test(.router) { client in
            let response = try await client.post(
                "/v1/pull",
                token: token,
                json: PullRequest(vector: VersionVector(), limit: 0)
            )
            #expect(response.status == .badRequest)
            #expect(try Wire.decode(ErrorResponse.self, response).error.code == "invalid-argument")
        }
    }
}
