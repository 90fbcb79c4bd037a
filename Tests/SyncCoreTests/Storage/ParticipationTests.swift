import Foundation
import SyncCore
import SyncTestSupport
import Testing

@Suite struct ParticipationTests {
    let folder: TemporaryDirectory
    let a: ReplicaStore
    let b: ReplicaStore

    init() throws {
        folder = try TemporaryDirectory()
        a = try ReplicaStore(path: folder.path("a.sqlite"))
        b = try ReplicaStore(path: folder.path("b.sqlite"))
    }

    private func exchange() throws {
        try b.apply(try a.changes(since: try b.vector()))
        try a.apply(try b.changes(since: try a.vector()))
    }

    @Test func deletedComment_keepsPlaceholder_andRepliesStayInPlace() throws {
        let proposal = try a.createProposal(ProposalDraft(title: "T", body: "B", commune: "essaouira"))
        let root = try a.addComment(proposal: proposal, body: "أوافق", alignment: "for", author: "amina")
        let reply = try a.addComment(proposal: proposal, body: "Pourquoi ?", parent: root, author: "youssef")
        let deeper = try a.addComment(proposal: proposal, body: "ⴰⵢⵓⵣ", parent: reply)
        #expect(throws: SyncError.self) { try a.addComment(proposal: proposal, body: "trop profond", parent: deeper) }
        try exchange()
        try b.editComment(root, body: "أوافق بشدة", author: "amina")  // concurrent with the deletion
        try a.deleteComment(root)
        try exchange()
        let thread = try b.comments(proposal: proposal)
        #expect(thread.map(\.id) == [root, reply, deeper])
        #expect(thread[0].isDeleted && thread[0].body == nil)
        #expect(thread[1].body == "Pourquoi ?" && thread[2].depth == 3)
        #expect(try a.digest() == (try b.digest()))
    }

    @Test func editComment_byAnotherAuthor_isForbidden() throws {
        let proposal = try a.createProposal(ProposalDraft(title: "T", body: "B", commune: "essaouira"))
        let comment = try a.addComment(proposal: proposal, body: "x", author: "amina")
        #expect { try a.editComment(comment, body: "y", author: "karim") } throws: {
            ($0 as? SyncError)?.code == .forbidden
        }
    }

    @Test func support_addConcurrentWithRemove_wins_andCountIsDerived() throws {
        let proposal = try a.createProposal(ProposalDraft(title: "T", body: "B", commune: "ounagha"))
        try a.addSupport(proposal: proposal, citizen: "c-1")
        try exchange()
        try b.removeSupport(proposal: proposal, citizen: "c-1")
        try a.addSupport(proposal: proposal, citizen: "c-1")  // concurrent re-add
        try a.addSupport(proposal: proposal, citizen: "c-2")
        try exchange()
        #expect(try a.supportCount(proposal: proposal) == 2)
        #expect(try b.supporters(proposal: proposal) == ["c-1", "c-2"])
        try b.removeSupport(proposal: proposal, citizen: "c-1")  // has seen every add: removes
        try exchange()
        #expect(try a.supportCount(proposal: proposal) == 1)
    }

    @Test func attendance_andEvents() throws {
        let event = try a.createEvent(
            EventDraft(title: "Visite", kind: "school-visit", date: "2026-12-03", venue: "Lycée", commune: "tamanar")
        )
        try a.addAttendance(event: event, participant: "p-1")
        try exchange()
        try b.editEvent(event, EventDraft(venue: "Dar Souiri"))
        try exchange()
        #expect(try a.events().first?.venue == "Dar Souiri")
        #expect(try b.attendees(event: event) == ["p-1"])
        #expect(throws: SyncError.self) {
            try a.createEvent(EventDraft(title: "x", kind: "party", date: "2026-12-03", commune: "tamanar"))
        }
        #expect(throws: SyncError.self) {
            try a.createEvent(EventDraft(title: "x", kind: "workshop", date: "2026-02-30", commune: "tamanar"))
        }
    }

    @Test func editUnknownProposal_throwsRecordNotFound_andWritesNothing() throws {
        let vector = try a.vector()
        #expect { try a.editProposal(RecordID.make(), ProposalEdit(title: "x")) } throws: {
            ($0 as? SyncError)?.code == .recordNotFound
        }
        #expect(try a.vector() == vector)
    }

    @Test func batches_resumeWhereTheyStopped() throws {
        let ids = try a.createProposals((0..<25).map { ProposalDraft(title: "P\($0)", body: "B", commune: "tamanar") })
        for id in ids.prefix(10) { try a.editProposal(id, ProposalEdit(status: "in-review")) }
        var batches = 0
        while true {
            let batch = try a.changes(since: try b.vector(), limit: 4)
            #expect(batch.changes.count <= 4)
            if batches % 3 == 1 {
                batches += 1
                continue
            }  // a lost batch: the next one starts over from b's vector
            try b.apply(batch)
            batches += 1
            if batch.isComplete { break }
        }
        #expect(try b.proposals().count == 25)
        #expect(try a.digest() == (try b.digest()))
    }

    @Test func csvImport_isAllOrNothing() throws {
        let before = try a.vector()
        #expect(throws: SyncError.self) {
            try a.createProposals([
                ProposalDraft(title: "ok", body: "ok", commune: "tamanar"),
                ProposalDraft(title: "  ", body: "vide", commune: "tamanar"),
            ])
        }
        #expect(try a.proposals().isEmpty)
        #expect(try a.vector() == before)
    }
}

@Suite struct HistoryTests {
    @Test func history_listsEveryWrite_andWhichFieldsStillShowIt() throws {
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("a.sqlite"))
        let id = try store.createProposal(ProposalDraft(title: "T1", body: "B", commune: "tamanar"))
        try store.editProposal(id, ProposalEdit(title: "T2"))
        let history = try store.history(table: "proposal", record: id)
        #expect(history.count == 2)
        #expect(history[0].fieldsShown == ["body", "commune", "created_at", "status"])
        #expect(history[1].fieldsShown == ["title"])
        #expect(history[0].timestamp < history[1].timestamp)
    }
}
