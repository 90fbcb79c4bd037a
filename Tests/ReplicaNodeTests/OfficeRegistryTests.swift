import Foundation
import SyncCore
import SyncTestSupport
import Testing

@testable import ReplicaNode

/// The office's register and policy over real SQLite files: what a laptop may claim at its office.
@Suite struct OfficeRegistryTests {
    private struct Setup {
        let folder: TemporaryDirectory
        let office: ReplicaStore
        let laptop: ReplicaStore
        let elsewhere: ReplicaStore
        let enrollment: Enrollment
        let server: SyncServer
    }

    /// An office that holds a change from another commune's replica, and a laptop enrolled at it
    /// whose hello has bound its identity.
    private func setUp(_ folder: TemporaryDirectory) async throws -> Setup {
        let office = try ReplicaStore(path: folder.path("office.sqlite"))
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        let elsewhere = try ReplicaStore(path: folder.path("essaouira.sqlite"))
        _ = try elsewhere.createProposal(ProposalDraft(title: "مقترح", body: "نص", commune: "essaouira"))
        try office.apply(try elsewhere.changes(since: try office.vector()))
        let (enrollment, _) = try office.enroll(commune: "tamanar", label: "field laptop 1")
        let server = SyncServer(store: office, registry: OfficeRegistry(store: ServedReplicaStore(office)))
        _ = try await server.hello(hello(from: laptop), from: enrollment)
        return Setup(
            folder: folder,
            office: office,
            laptop: laptop,
            elsewhere: elsewhere,
            enrollment: enrollment,
            server: server
        )
    }

    private func hello(from store: ReplicaStore, presenting extra: [ReplicaID] = []) throws -> HelloRequest {
        HelloRequest(
            replica: store.replicaID,
            previousIdentities: extra,
            vector: try store.vector(),
            schemaVersion: store.schema.version
        )
    }

    @Test func hello_namesTheOriginsTheLaptopHoldsMoreOfAndMayNotPush() async throws {
        let setup = try await setUp(try TemporaryDirectory())
        _ = try setup.elsewhere.createProposal(ProposalDraft(title: "ثان", body: "نص", commune: "essaouira"))
        try setup.laptop.apply(try setup.elsewhere.changes(since: try setup.laptop.vector()))
        let answer = try await setup.server.hello(try hello(from: setup.laptop), from: setup.enrollment)
        #expect(answer.foreignOrigins == [setup.elsewhere.replicaID])
    }

    @Test func push_laptopsOwnChanges_passes() async throws {
        let setup = try await setUp(try TemporaryDirectory())
        _ = try setup.laptop.createProposal(ProposalDraft(title: "زيارة", body: "نص", commune: "tamanar"))
        let batch = try setup.laptop.changes(since: try setup.office.vector())
        #expect(try await setup.server.push(batch, from: setup.enrollment).applied == 1)
    }

    @Test func push_anotherCommunesOrigin_isForbidden_appliesNothing_andIsRecorded() async throws {
        let setup = try await setUp(try TemporaryDirectory())
        try setup.laptop.apply(try setup.office.changes(since: try setup.laptop.vector()))
        _ = try setup.elsewhere.createProposal(ProposalDraft(title: "ثان", body: "نص", commune: "essaouira"))
        try setup.laptop.apply(try setup.elsewhere.changes(since: try setup.laptop.vector()))
        let batch = try setup.laptop.changes(since: try setup.office.vector())
        #expect(batch.changes.contains { $0.origin == setup.elsewhere.replicaID })
        let digest = try setup.office.digest()
        let error = await #expect(throws: SyncError.self) { try await setup.server.push(batch, from: setup.enrollment) }
        #expect(error?.code == .forbidden)
        #expect(error?.message.contains(setup.elsewhere.replicaID.rawValue) == true)
        #expect(try setup.office.digest() == digest)
        let recorded = try #require(try setup.office.enrollment(setup.enrollment.id))
        #expect(recorded.refusalCount == 1)
        #expect(recorded.lastRefusal?.contains(setup.elsewhere.replicaID.rawValue) == true)
    }

    @Test(arguments: ["office", "hub", "held", "other laptop"])
    func hello_presentingAnIdentityTheOfficeKnows_isForbidden(_ claimed: String) async throws {
        let setup = try await setUp(try TemporaryDirectory())
        let hub = ReplicaID()
        try setup.office.recordSync(
            peer: "http://hub.example",
            vector: VersionVector(),
            digestMatched: nil,
            replica: hub
        )
        let other = try ReplicaStore(path: setup.folder.path("other-laptop.sqlite"))
        let (second, _) = try setup.office.enroll(commune: "tamanar", label: "field laptop 2")
        _ = try await setup.server.hello(try hello(from: other), from: second)
        let identity: ReplicaID =
            switch claimed {
            case "office": setup.office.replicaID
            case "hub": hub
            case "held": setup.elsewhere.replicaID
            default: other.replicaID
            }
        let error = await #expect(throws: SyncError.self) {
            try await setup.server.hello(try hello(from: setup.laptop, presenting: [identity]), from: setup.enrollment)
        }
        #expect(error?.code == .forbidden)
        #expect(try setup.office.enrollment(setup.enrollment.id)?.origins == [setup.laptop.replicaID])
    }

    @Test func authenticate_unknownToken_namesTheOfficesCommand() async throws {
        let setup = try await setUp(try TemporaryDirectory())
        let error = await #expect(throws: SyncError.self) {
            try await OfficeRegistry(store: ServedReplicaStore(setup.office)).authenticate(
                token: "esw1.\(setup.enrollment.id).not-the-secret-0123456789"
            )
        }
        #expect(error?.code == .unauthorized)
        #expect(error?.message.contains("peer add") == true)
    }
}
