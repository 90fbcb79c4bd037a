import Foundation
import SyncCore
import SyncTestSupport
import Testing

@testable import ReplicaNode

/// The office's register over real SQLite files: what a laptop may push to its office.
@Suite struct OfficeRegistryTests {
    private struct Setup {
        let folder: TemporaryDirectory
        let office: ReplicaStore
        let laptop: ReplicaStore
        let elsewhere: ReplicaStore
        let enrollment: Enrollment
        let registry: OfficeRegistry
    }

    /// An office that holds a change from another commune's replica, and a laptop enrolled at it.
    private func setUp(_ folder: TemporaryDirectory) throws -> Setup {
        let office = try ReplicaStore(path: folder.path("office.sqlite"))
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        let elsewhere = try ReplicaStore(path: folder.path("essaouira.sqlite"))
        _ = try elsewhere.createProposal(ProposalDraft(title: "مقترح", body: "نص", commune: "essaouira"))
        try office.apply(try elsewhere.changes(since: try office.vector()))
        let (enrollment, _) = try office.enroll(commune: "tamanar", label: "field laptop 1")
        let registry = OfficeRegistry(store: office)
        try registry.bind(origins: [laptop.replicaID], to: enrollment)
        return Setup(
            folder: folder,
            office: office,
            laptop: laptop,
            elsewhere: elsewhere,
            enrollment: enrollment,
            registry: registry
        )
    }

    @Test func foreignOrigins_areThoseHeldAndNotBoundToALaptop() throws {
        let setup = try setUp(try TemporaryDirectory())
        let foreign = try setup.registry.foreignOrigins(for: setup.enrollment)
        #expect(foreign.contains(setup.elsewhere.replicaID))
        #expect(!foreign.contains(setup.laptop.replicaID))
    }

    @Test func authorize_laptopsOwnChanges_passes() throws {
        let setup = try setUp(try TemporaryDirectory())
        _ = try setup.laptop.createProposal(ProposalDraft(title: "زيارة", body: "نص", commune: "tamanar"))
        let batch = try setup.laptop.changes(since: try setup.office.vector())
        try setup.registry.authorize(batch, from: setup.enrollment)
        #expect(try setup.office.apply(batch).applied == 1)
    }

    @Test func authorize_anotherCommunesOrigin_isForbidden_andAppliesNothing() throws {
        let setup = try setUp(try TemporaryDirectory())
        try setup.laptop.apply(try setup.office.changes(since: try setup.laptop.vector()))
        _ = try setup.elsewhere.createProposal(ProposalDraft(title: "ثان", body: "نص", commune: "essaouira"))
        try setup.laptop.apply(try setup.elsewhere.changes(since: try setup.laptop.vector()))
        let batch = try setup.laptop.changes(since: try setup.office.vector())
        #expect(batch.changes.contains { $0.origin == setup.elsewhere.replicaID })
        let digest = try setup.office.digest()
        let error = try #require(throws: SyncError.self) { try setup.registry.authorize(batch, from: setup.enrollment) }
        #expect(error.code == .forbidden)
        #expect(error.message.contains(setup.elsewhere.replicaID.rawValue))
        #expect(try setup.office.digest() == digest)
    }

    @Test func authenticate_unknownToken_namesTheOfficesCommand() throws {
        let setup = try setUp(try TemporaryDirectory())
        let error = try #require(throws: SyncError.self) {
            try setup.registry.authenticate(token: "esw1.\(setup.enrollment.id).not-the-secret-0123456789")
        }
        #expect(error.code == .unauthorized)
        #expect(error.message.contains("peer add"))
    }
}
