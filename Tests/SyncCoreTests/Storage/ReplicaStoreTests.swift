import Foundation
import SyncCore
import SyncTestSupport
import Testing

@Suite struct ReplicaStoreTests {
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
