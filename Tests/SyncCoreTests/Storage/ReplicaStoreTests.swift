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
