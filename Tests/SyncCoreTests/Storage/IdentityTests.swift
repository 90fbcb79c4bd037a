import Foundation
import SyncCore
import SyncTestSupport
import Testing

@Suite struct IdentityTests {
    @Test func reopen_keepsIdentity() throws {
        let folder = try TemporaryDirectory()
        let first = try ReplicaStore(path: folder.path("a.sqlite")).replicaID
        let again = try ReplicaStore(path: folder.path("a.sqlite"))
        #expect(again.replicaID == first)
        #expect(again.previousReplicaID == nil)
    }

    @Test func copiedFile_takesNewIdentity_andNeitherDiverges() throws {
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        var original: ReplicaStore? = try ReplicaStore(path: folder.path("laptop.sqlite"))
        let originalID = original!.replicaID
        let id = try original!.createProposal(ProposalDraft(title: "Piste rurale", body: "…", commune: "tamanar"))
        original = nil  // close before copying, as a backup tool would
        try FileManager.default.copyItem(atPath: folder.path("laptop.sqlite"), toPath: folder.path("restored.sqlite"))

        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        let restored = try ReplicaStore(path: folder.path("restored.sqlite"))
        #expect(laptop.replicaID == originalID)
        #expect(restored.replicaID != originalID)
        #expect(restored.previousReplicaID == originalID)
        #expect(try restored.previousIdentities() == [originalID])
        #expect(try restored.proposal(id)?.title == "Piste rurale")

        // Both write after the copy: under the old identity, sequence 2 would exist twice with
        // different contents. With re-identification, both edits survive as a conflict.
        try laptop.editProposal(id, ProposalEdit(title: "Piste rurale — laptop"))
        try restored.editProposal(id, ProposalEdit(title: "Piste rurale — restored"))
        let laptopChange = try laptop.changes(since: VersionVector()).changes.last!
        let restoredChange = try restored.changes(since: VersionVector()).changes.last!
        #expect(laptopChange.dot != restoredChange.dot)

        for store in [laptop, restored] { try hub.apply(try store.changes(since: try hub.vector())) }
        for store in [laptop, restored] { try store.apply(try hub.changes(since: try store.vector())) }
        #expect(try laptop.digest() == (try hub.digest()))
        #expect(try restored.digest() == (try hub.digest()))
        let titles = try hub.fieldState(table: "proposal", record: id, column: "title").writes.map(\.value)
        #expect(Set(titles) == [.text("Piste rurale — laptop"), .text("Piste rurale — restored")])
    }
}
