import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// Filtered batches: a receiver gets the admitted origins only, in bounded batches that resume,
/// and its vector never claims an origin it was not sent.
@Suite struct OriginFilterTests {
    let folder: TemporaryDirectory
    let clock = ManualClock()
    let essaouira: ReplicaStore
    let tamanar: ReplicaStore
    let national: ReplicaStore
    let receiver: ReplicaStore

    init() throws {
        folder = try TemporaryDirectory()
        essaouira = try ReplicaStore(path: folder.path("essaouira.sqlite"), wallClock: clock.read)
        tamanar = try ReplicaStore(path: folder.path("tamanar.sqlite"), wallClock: clock.read)
        national = try ReplicaStore(path: folder.path("national.sqlite"), wallClock: clock.read)
        receiver = try ReplicaStore(path: folder.path("receiver.sqlite"), wallClock: clock.read)
    }

    /// Writes proposals on a replica and moves everything it has to the national store.
    @discardableResult
    private func propose(_ titles: [String], on store: ReplicaStore, commune: String) throws -> [String] {
        let ids = try titles.map { try store.createProposal(ProposalDraft(title: $0, body: "نص", commune: commune)) }
        try national.apply(try store.changes(since: try national.vector(), limit: 5_000))
        return ids
    }

    /// Pulls from the national store with a filter until a batch is complete; returns the batches.
    private func pullAll(filter: OriginFilter, limit: Int) throws -> Int {
        var batches = 0
        while true {
            let batch = try national.changes(since: try receiver.vector(), limit: limit, filter: filter)
            try receiver.apply(batch)
            batches += 1
            if batch.isComplete { return batches }
            #expect(batches < 1_000, "the filtered pull does not end")
            if batches >= 1_000 { return batches }
        }
    }

    @Test func only_sendsAdmittedOriginsInResumableBatches() throws {
        try propose((1...7).map { "E\($0)" }, on: essaouira, commune: "essaouira")
        try propose((1...5).map { "T\($0)" }, on: tamanar, commune: "tamanar")

        let batches = try pullAll(filter: .only([essaouira.replicaID]), limit: 2)

        #expect(batches >= 4, "seven changes in batches of two take four batches at least")
        #expect(try receiver.proposals().map(\.title).sorted() == (1...7).map { "E\($0)" }.sorted())
        #expect(try receiver.vector()[essaouira.replicaID] == 7)
        #expect(try receiver.vector()[tamanar.replicaID] == 0, "the vector claims an origin that was not sent")
    }

    @Test func relay_sendsTheHubsOwnWritesToTheScopesRecordsOnly() throws {
        let essaouiraIDs = try propose(["E1"], on: essaouira, commune: "essaouira")
        let tamanarIDs = try propose(["T1"], on: tamanar, commune: "tamanar")
        try national.editProposal(essaouiraIDs[0], ProposalEdit(answer: "جواب الولاية"))
        try national.editProposal(tamanarIDs[0], ProposalEdit(answer: "Réponse nationale"))
        try national.createProposal(ProposalDraft(title: "N1", body: "national", commune: "ounagha"))

        let filter = OriginFilter.relay(origins: [essaouira.replicaID], shared: [national.replicaID])
        _ = try pullAll(filter: filter, limit: 1)

        let held = try receiver.proposals()
        #expect(held.map(\.title) == ["E1"], "only the scope's records arrive")
        #expect(held.first?.answer == "جواب الولاية", "the hub's answer to the scope's proposal arrives")
        #expect(try receiver.proposal(tamanarIDs[0]) == nil, "another scope's record arrived")
        #expect(try receiver.vector()[national.replicaID] == (try national.vector())[national.replicaID])
        #expect(try receiver.vector()[tamanar.replicaID] == 0)
    }
}
