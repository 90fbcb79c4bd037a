import Foundation
import SyncCore
import SyncTestSupport
import Testing

@Suite struct LogCollectionTests {
    private static let day: Int64 = 86_400_000

    /// Two stores on one manual clock, in a fresh folder.
    private struct Pair {
        let folder: TemporaryDirectory
        let clock = ManualClock()
        let a: ReplicaStore
        let b: ReplicaStore

        init() throws {
            folder = try TemporaryDirectory()
            a = try ReplicaStore(path: folder.path("a.sqlite"), wallClock: clock.read)
            b = try ReplicaStore(path: folder.path("b.sqlite"), wallClock: clock.read)
        }

        func store(_ name: String) throws -> ReplicaStore {
            try ReplicaStore(path: folder.path(name), wallClock: clock.read)
        }
    }

    /// Pulls everything `from` has into `to`, in batches of `limit` log entries.
    private static func sync(from: ReplicaStore, to: ReplicaStore, limit: Int = 500) throws {
        var batch: ChangeBatch
        repeat {
            batch = try from.changes(since: try to.vector(), limit: limit)
            try to.apply(batch)
        } while !batch.isComplete
    }

    private static func dots(_ store: ReplicaStore, _ table: String, _ record: String) throws -> [String] {
        try store.history(table: table, record: record).map { "\($0.origin.rawValue):\($0.seq)" }
    }

    /// Collects the whole log with the given retention, a pass at a time.
    private static func collectAll(_ store: ReplicaStore, retention: Duration, limit: Int = 1) throws -> Int {
        var removed = 0
        var position: CollectionPosition?
        repeat {
            let pass = try store.collect(retention: retention, after: position, limit: limit)
            removed += pass.entriesRemoved
            position = pass.next
        } while position != nil
        return removed
    }

    // MARK: - What goes and what stays

    @Test func collect_removesFullySupersededEntries_keepsPartlySupersededAndCurrentOnes() throws {
        let pair = try Pair()
        let store = pair.a
        let id = try store.createProposal(ProposalDraft(title: "عنوان ١", body: "نص المقترح", commune: "tamanar"))
        try store.editProposal(id, ProposalEdit(title: "عنوان ٢", status: "in-review"))
        try store.editProposal(id, ProposalEdit(title: "عنوان ٣"))
        try store.editProposal(id, ProposalEdit(title: "عنوان ٤", status: "accepted"))
        try store.editProposal(id, ProposalEdit(title: "عنوان ٥"))
        let before = try Self.dots(store, "proposal", id)
        #expect(before.count == 5)
        let digest = try store.digest()
        let vector = try store.vector()
        let proposal = try store.proposal(id)
        pair.clock.advance(by: 31 * Self.day)

        let pass = try store.collect(retention: .seconds(30 * 86_400))

        // Edits 2 (title and status) and 3 (title) were superseded whole; the creation still gives
        // the body, edit 4 the status, edit 5 the title.
        #expect(pass.entriesRemoved == 2)
        #expect(pass.recordsExamined == 1)
        #expect(pass.next == nil)
        #expect(try Self.dots(store, "proposal", id) == [before[0], before[3], before[4]])
        #expect(try store.digest() == digest)
        #expect(try store.recomputedDigest() == digest)
        #expect(try store.vector() == vector)
        #expect(try store.proposal(id) == proposal)
        #expect(try store.collect(retention: .zero).entriesRemoved == 0)
    }

    @Test func collect_keepsEntriesYoungerThanTheRetention() throws {
        let pair = try Pair()
        let id = try pair.a.createProposal(ProposalDraft(title: "Titre 1", body: "Corps", commune: "ounagha"))
        try pair.a.editProposal(id, ProposalEdit(title: "Titre 2"))
        pair.clock.advance(by: 20 * Self.day)
        try pair.a.editProposal(id, ProposalEdit(title: "Titre 3"))
        try pair.a.editProposal(id, ProposalEdit(title: "Titre 4"))
        pair.clock.advance(by: 5 * Self.day)

        #expect(try pair.a.collect(retention: .seconds(30 * 86_400)).entriesRemoved == 0)
        // Edit 2 is 25 days old, edit 3 five days old: a 10-day retention takes edit 2 only.
        #expect(try pair.a.collect(retention: .seconds(10 * 86_400)).entriesRemoved == 1)
        #expect(try Self.dots(pair.a, "proposal", id).count == 3)
        pair.clock.advance(by: 1)
        #expect(try pair.a.collect(retention: .zero).entriesRemoved == 1)
        #expect(try Self.dots(pair.a, "proposal", id).count == 2)
    }

    @Test func collect_keepsTheNewestEntryOfEachOrigin_soARelayStillSeesTheRecord() throws {
        let pair = try Pair()
        let (national, province) = (pair.a, pair.b)
        let event = try national.createEvent(
            EventDraft(title: "ورشة", kind: "workshop", date: "2026-12-03", commune: "tamanar")
        )
        try Self.sync(from: national, to: province)
        for title in ["ورشة الشباب", "ورشة الشباب ٢"] {
            try province.editEvent(event, EventDraft(title: title))
            try Self.sync(from: province, to: national)
        }
        try national.editEvent(event, EventDraft(title: "ورشة نهائية", venue: "دار الشباب"))
        pair.clock.advance(by: Self.day)
        let filter = OriginFilter.relay(origins: [province.replicaID], shared: [national.replicaID])
        let sentBefore = try national.changes(since: VersionVector(), limit: 100, filter: filter).changes

        #expect(try national.collect(retention: .zero).entriesRemoved == 1)

        // The province's second edit is superseded whole but is its newest entry for the event.
        let origins = try national.history(table: "event", record: event).map(\.origin)
        #expect(origins.filter { $0 == province.replicaID }.count == 1)
        let sentAfter = try national.changes(since: VersionVector(), limit: 100, filter: filter).changes
        #expect(sentAfter.contains { $0.origin == national.replicaID && $0.record == event })
        #expect(sentAfter.map(\.dot) == sentBefore.map(\.dot))
    }

    @Test func collect_keepsTheEntriesOfConcurrentValues() throws {
        let pair = try Pair()
        let id = try pair.a.createProposal(ProposalDraft(title: "Titre", body: "Corps", commune: "essaouira"))
        try Self.sync(from: pair.a, to: pair.b)
        try pair.a.editProposal(id, ProposalEdit(title: "Titre A"))
        try pair.a.editProposal(id, ProposalEdit(status: "in-review"))
        try pair.b.editProposal(id, ProposalEdit(title: "Titre B"))
        try pair.b.editProposal(id, ProposalEdit(status: "accepted"))
        try Self.sync(from: pair.a, to: pair.b)
        try Self.sync(from: pair.b, to: pair.a)
        pair.clock.advance(by: Self.day)
        let conflicts = try pair.a.conflicts()
        #expect(conflicts.count == 2)

        // The status edits are concurrent too; every title and status value still counts.
        #expect(try pair.a.collect(retention: .zero).entriesRemoved == 0)
        #expect(try pair.a.conflicts() == conflicts)
        try pair.a.resolveConflict(table: "proposal", record: id, field: "title", value: .text("Titre AB"))
        try pair.a.resolveConflict(table: "proposal", record: id, field: "status", value: .text("accepted"))
        pair.clock.advance(by: 1)
        // Now both edits of each replica are superseded; a's newest entry is a resolution, b's
        // newest (its status edit) stays as the last of its origin.
        #expect(try pair.a.collect(retention: .zero).entriesRemoved == 3)
        #expect(try Self.dots(pair.a, "proposal", id).count == 4)
        try Self.sync(from: pair.a, to: pair.b)
        #expect(try pair.a.digest() == (try pair.b.digest()))
        #expect(try pair.b.conflicts().isEmpty)
    }

    // MARK: - Sync after collection

    @Test func peerSyncingAfterCollection_convergesWithEveryCurrentValue() throws {
        let pair = try Pair()
        let (a, b) = (pair.a, pair.b)
        var proposals: [String] = []
        for index in 0..<6 {
            let id = try a.createProposal(
                ProposalDraft(title: "اقتراح \(index)", body: "نص \(index)", commune: "tamanar")
            )
            proposals.append(id)
            let comment = try a.addComment(proposal: id, body: "تعليق \(index)")
            try a.editComment(comment, body: "تعليق معدل \(index)")
            try a.editComment(comment, body: "تعليق معدل مرة ثانية \(index)")
            if index.isMultiple(of: 2) { try a.deleteComment(comment) }
        }
        try Self.sync(from: a, to: b)
        for (index, id) in proposals.enumerated() {
            try b.editProposal(id, ProposalEdit(title: "عنوان ب \(index)", status: "in-review"))
            try b.editProposal(id, ProposalEdit(title: "عنوان ب نهائي \(index)"))
            try a.editProposal(id, ProposalEdit(answer: "جواب \(index)"))
            try a.editProposal(id, ProposalEdit(answer: "جواب نهائي \(index)"))
        }
        try Self.sync(from: b, to: a)
        pair.clock.advance(by: 2 * Self.day)
        let digest = try a.digest()
        let vector = try a.vector()
        let sentBefore = try a.changes(since: VersionVector(), limit: 10_000).changes

        let removed = try Self.collectAll(a, retention: .seconds(86_400))

        // Per proposal, a's first answer; per comment, its first edit.
        #expect(removed == 6 * 2)
        #expect(try a.changes(since: VersionVector(), limit: 10_000).changes == sentBefore)
        #expect(try a.digest() == digest)
        #expect(try a.vector() == vector)
        let fresh = try pair.store("c.sqlite")
        try Self.sync(from: a, to: fresh, limit: 1)
        #expect(try fresh.digest() == digest)
        #expect(try fresh.recomputedDigest() == digest)
        #expect(try fresh.vector() == vector)
        #expect(try fresh.proposals() == (try a.proposals()))
        for id in proposals {
            #expect(try fresh.comments(proposal: id) == (try a.comments(proposal: id)))
        }
        // b, behind on a's answers, catches up from the collected log too.
        try Self.sync(from: a, to: b, limit: 2)
        #expect(try b.digest() == digest)
    }

    @Test func collect_inPasses_removesWhatOnePassRemoves() throws {
        let pair = try Pair()
        for store in [pair.a, pair.b] {
            for index in 0..<5 {
                let id = try store.createProposal(ProposalDraft(title: "T\(index)", body: "B", commune: "tamanar"))
                try store.editProposal(id, ProposalEdit(title: "T\(index)'"))
                try store.editProposal(id, ProposalEdit(title: "T\(index)''"))
            }
        }
        pair.clock.advance(by: 1)
        let whole = try pair.a.collect(retention: .zero, limit: 100)
        #expect(whole.recordsExamined == 5)
        #expect(whole.entriesRemoved == 5)
        var passes = 0
        var removed = 0
        var position: CollectionPosition?
        repeat {
            let pass = try pair.b.collect(retention: .zero, after: position, limit: 2)
            #expect(pass.recordsExamined <= 2)
            passes += 1
            removed += pass.entriesRemoved
            position = pass.next
        } while position != nil
        #expect(passes == 3)
        #expect(removed == 5)
    }

    @Test func collect_refusesANegativeRetentionOrLimit() throws {
        let pair = try Pair()
        _ = try pair.a.createProposal(ProposalDraft(title: "T", body: "B", commune: "tamanar"))
        #expect(throws: SyncError.self) { try pair.a.collect(retention: .seconds(-1)) }
        #expect(throws: SyncError.self) { try pair.a.collect(retention: .zero, limit: 0) }
    }
}
