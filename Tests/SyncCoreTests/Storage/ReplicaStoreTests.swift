import Foundation
import SyncCore
import SyncTestSupport
import Testing

@Suite struct ReplicaStoreTests {
    /// The pool turns WAL on with `synchronous = NORMAL` after its connections are prepared; the
    /// store must still sync every commit by default, and also after reopening the file.
    @Test func defaultDurability_syncsEveryCommit_evenThoughThePoolTurnsWALOn() throws {
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("a.sqlite"))
        #expect(try store.effectiveDurability() == .full)
        _ = try store.createProposal(ProposalDraft(title: "عنوان", body: "نص", commune: "tamanar"))
        #expect(try store.effectiveDurability() == .full)
        let reopened = try ReplicaStore(path: folder.path("a.sqlite"))
        #expect(try reopened.effectiveDurability() == .full)
        let bulk = try ReplicaStore(path: folder.path("b.sqlite"), durability: .normal)
        #expect(try bulk.effectiveDurability() == .normal)
    }

    /// A page size applies to a new file only; a file keeps the page size it was created with.
    @Test func pageSize_isSetForANewFileAndKeptAfterwards() throws {
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"), pageSize: ReplicaStore.hubPageSize)
        #expect(try hub.pageSize() == 32_768)
        _ = try hub.createProposal(ProposalDraft(title: "عنوان", body: "نص", commune: "tamanar"))
        let replica = try ReplicaStore(path: folder.path("replica.sqlite"))
        #expect(try replica.pageSize() == 4_096)
        try replica.apply(try hub.changes(since: VersionVector()))
        #expect(try ReplicaStore(path: folder.path("hub.sqlite")).pageSize() == 32_768)
        #expect(try ReplicaStore(path: folder.path("replica.sqlite"), pageSize: 16_384).pageSize() == 4_096)
        #expect(try replica.digest() == hub.digest())
    }

    /// A local write keeps the replica's sequence number, clock and digest sum in its log entry
    /// rather than in `crdt_self`: after reopening, after an apply, and after the file is copied,
    /// the state read back is the newest one (no sequence number reused, no write missing from
    /// the vector or the digest).
    @Test func localState_readBackAfterReopenApplyAndCopy() throws {
        let folder = try TemporaryDirectory()
        var store: ReplicaStore? = try ReplicaStore(path: folder.path("a.sqlite"))
        let origin = store!.replicaID
        let id = try store!.createProposal(ProposalDraft(title: "عنوان", body: "نص", commune: "tamanar"))
        try store!.editProposal(id, ProposalEdit(title: "Titre 2"))
        store = nil
        store = try ReplicaStore(path: folder.path("a.sqlite"))
        #expect(try store!.vector()[origin] == 2)
        #expect(try store!.digest() == (try store!.recomputedDigest()))
        try store!.editProposal(id, ProposalEdit(title: "Titre 3"))
        // Sequence 2 (the first title edit) is superseded; the new edit took 3, not 2 again.
        #expect(try store!.changes(since: VersionVector()).changes.map(\.seq) == [1, 3])

        // An apply moves the state into crdt_self; local writes after it still count.
        let other = try ReplicaStore(path: folder.path("b.sqlite"))
        _ = try other.createProposal(ProposalDraft(title: "Autre", body: "…", commune: "ounagha"))
        try store!.apply(try other.changes(since: try store!.vector()))
        try store!.editProposal(id, ProposalEdit(title: "Titre 4"))
        try store!.createProposals([
            ProposalDraft(title: "Un", body: "…", commune: "tamanar"),
            ProposalDraft(title: "Deux", body: "…", commune: "tamanar"),
        ])
        #expect(try store!.vector()[origin] == 6)
        #expect(try store!.digest() == (try store!.recomputedDigest()))
        try other.apply(try store!.changes(since: try other.vector()))
        #expect(try other.digest() == (try store!.digest()))

        // A copy takes a new identity and keeps every write of the old one in its vector.
        store = nil
        try FileManager.default.copyItem(atPath: folder.path("a.sqlite"), toPath: folder.path("copy.sqlite"))
        let copy = try ReplicaStore(path: folder.path("copy.sqlite"))
        #expect(copy.replicaID != origin)
        #expect(try copy.vector()[origin] == 6)
        #expect(try copy.digest() == (try copy.recomputedDigest()))
        #expect(try copy.digest() == (try other.digest()))
    }

    /// A batch of remote changes is logged many rows per statement: every change of a batch
    /// larger than one statement's rows (and one changed twice, and one already known) is in the
    /// receiver's log, so that a third replica gets all of them from it.
    @Test func apply_logsEveryChangeOfALargeBatch() throws {
        let folder = try TemporaryDirectory()
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        let drafts = (0..<300).map { ProposalDraft(title: "مقترح \($0)", body: "Texte \($0)", commune: "tamanar") }
        let ids = try laptop.createProposals(drafts)
        try laptop.editProposal(ids[7], ProposalEdit(title: "Titre modifié"))
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        let batch = try laptop.changes(since: VersionVector(), limit: 1_000)
        #expect(batch.changes.count == 301)
        var twice = batch
        twice.changes.append(batch.changes[0])
        let result = try hub.apply(twice)
        #expect(result.applied == 301 && result.ignored == 1)
        #expect(try hub.pendingChangeCount(since: VersionVector()) == 301)
        let office = try ReplicaStore(path: folder.path("office.sqlite"))
        try office.apply(try hub.changes(since: VersionVector(), limit: 1_000))
        #expect(try office.digest() == laptop.digest())
        #expect(try office.proposals().count == 300)
    }

    @Test func write_thenExchange_convergesWithEqualDigests() throws {
        let folder = try TemporaryDirectory()
        let a = try ReplicaStore(path: folder.path("a.sqlite"))
        let b = try ReplicaStore(path: folder.path("b.sqlite"))
        let id = try a.createProposal(
            ProposalDraft(title: "تهيئة ساحة", body: "نص", category: "urbanisme", commune: "essaouira")
        )
        try a.addSupport(proposal: id, citizen: "c-1")
        try b.apply(try a.changes(since: try b.vector()))
        #expect(try b.proposal(id)?.title == "تهيئة ساحة")
        #expect(try b.supportCount(proposal: id) == 1)
        #expect(try a.digest() == (try b.digest()))
    }

    @Test func concurrentEdits_keepConflict_untilResolved() throws {
        let folder = try TemporaryDirectory()
        let a = try ReplicaStore(path: folder.path("a.sqlite"))
        let b = try ReplicaStore(path: folder.path("b.sqlite"))
        let id = try a.createProposal(ProposalDraft(title: "Titre", body: "Corps", commune: "ounagha"))
        try b.apply(try a.changes(since: try b.vector()))
        try a.editProposal(id, ProposalEdit(title: "Titre A"))
        try b.editProposal(id, ProposalEdit(title: "Titre B"))
        try b.apply(try a.changes(since: try b.vector()))
        try a.apply(try b.changes(since: try a.vector()))
        #expect(try a.digest() == (try b.digest()))
        let conflicts = try a.conflicts()
        #expect(conflicts.count == 1)
        #expect(Set([conflicts[0].shown] + conflicts[0].others) == [.text("Titre A"), .text("Titre B")])
        try a.resolveConflict(table: "proposal", record: id, field: "title", value: .text("Titre AB"))
        try b.apply(try a.changes(since: try b.vector()))
        #expect(try b.conflicts().isEmpty)
        #expect(try b.proposal(id)?.title == "Titre AB")
        #expect(try a.digest() == (try b.digest()))
    }
}
