import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// Applying inserts a batch's new records without looking them up first, and falls back to
/// merging as soon as a record turns out to be stored: the result is the same as merging each
/// change into what the store holds.
@Suite struct ApplyNewRecordsTests {
    @Test func batchMixingNewAndStoredRecords_mergesEachAsIfLookedUp() throws {
        let folder = try TemporaryDirectory()
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        let office = try ReplicaStore(path: folder.path("office.sqlite"))
        let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
        // The hub already holds the office's first proposal, then both replicas write.
        let shared = try office.createProposal(ProposalDraft(title: "ساحة", body: "نص", commune: "tamanar"))
        try hub.apply(try office.changes(since: VersionVector()))
        var ids = [try laptop.createProposal(ProposalDraft(title: "Puits", body: "Eau", commune: "ounagha"))]
        try office.editProposal(shared, ProposalEdit(title: "ساحة مولاي الحسن"))
        ids.append(try laptop.createProposal(ProposalDraft(title: "École", body: "Toit", commune: "ounagha")))
        ids.append(try office.createProposal(ProposalDraft(title: "Piste", body: "Route", commune: "tamanar")))
        try office.withdrawProposal(ids[2])

        // One batch in an order that alternates: new, new, stored, new again, then a second
        // change to a record the batch has just inserted.
        let fromLaptop = try laptop.changes(since: VersionVector()).changes
        let fromOffice = try office.changes(since: try hub.vector()).changes
        #expect(fromLaptop.count == 2 && fromOffice.count == 3)
        var batch = try office.changes(since: try hub.vector())
        batch.changes = [fromLaptop[0], fromOffice[1], fromOffice[0], fromLaptop[1], fromOffice[2]]
        batch.covered = try laptop.changes(since: VersionVector()).covered + batch.covered
        let result = try hub.apply(batch)
        #expect(result.applied == 5 && result.ignored == 0)

        // Applying the same batch again changes nothing: every record is stored now.
        let again = try hub.apply(batch)
        #expect(again.applied == 0 && again.ignored == 5)

        // The same state as a store that received the changes one batch per replica.
        let reference = try ReplicaStore(path: folder.path("reference.sqlite"))
        try reference.apply(try office.changes(since: VersionVector()))
        try reference.apply(try laptop.changes(since: VersionVector()))
        #expect(try hub.digest() == reference.digest())
        #expect(try hub.digest() == hub.recomputedDigest())
        #expect(try hub.proposal(shared)?.title == "ساحة مولاي الحسن")
        #expect(try hub.proposal(ids[2])?.isWithdrawn == true)
        #expect(try hub.proposals().map(\.id).sorted() == (ids + [shared]).sorted())
    }
}
