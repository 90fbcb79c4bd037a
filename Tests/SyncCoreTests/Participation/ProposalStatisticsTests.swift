import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// The charts page's figures counted by SQL equal the same figures computed from every proposal.
@Suite struct ProposalStatisticsTests {
    @Test func figures_equalTheFiguresOfEveryProposalCountedInMemory() throws {
        let folder = try TemporaryDirectory()
        let clock = ManualClock(start: 1_790_000_000_000)
        let store = try ReplicaStore(path: folder.path("hub.sqlite"), wallClock: clock.read)
        let other = try ReplicaStore(path: folder.path("office.sqlite"), wallClock: clock.read)
        let communes = ["essaouira", "ounagha", "tamanar"]
        let statuses = ["submitted", "accepted", "rejected", "in-review"]
        var random = SplitMix64(seed: 11)
        var ids: [String] = []
        for index in 0..<60 {
            clock.advance(by: Int64(random.next() % 48) * 3_600_000)
            let id = try store.createProposal(
                ProposalDraft(title: "مقترح \(index)", body: "نص", commune: communes[index % communes.count])
            )
            ids.append(id)
            let status = statuses[Int(random.next() % UInt64(statuses.count))]
            if status != "submitted" { try store.editProposal(id, ProposalEdit(status: status)) }
            if index % 3 == 0 { try store.editProposal(id, ProposalEdit(answer: "جواب \(index)")) }
            for citizen in 0..<Int(random.next() % 5) {
                try store.addSupport(proposal: id, citizen: "citizen-\(citizen)")
            }
        }
        // A support withdrawn, and two open conflicts on one proposal.
        try store.removeSupport(proposal: ids[0], citizen: "citizen-0")
        try other.apply(try store.changes(since: try other.vector(), limit: 1_000))
        try store.editProposal(ids[1], ProposalEdit(title: "عنوان أ"))
        try other.editProposal(ids[1], ProposalEdit(title: "Titre B", body: "Texte B"))
        try store.editProposal(ids[1], ProposalEdit(body: "نص أ"))
        try store.apply(try other.changes(since: try store.vector(), limit: 1_000))

        let all = try store.proposals()
        let first = all.last!.createdAt
        let day: Int64 = 86_400_000
        let periods = (0..<6).map { (first + Int64($0) * 7 * day)..<(first + Int64($0 + 1) * 7 * day) }
        let figures = try store.proposalStatistics(periods: periods, top: 8)

        #expect(figures.total == all.count)
        #expect(figures.supports == all.reduce(0) { $0 + $1.supportCount })
        #expect(figures.answered == all.filter { $0.answer != nil }.count)
        #expect(figures.contested == all.filter { !$0.conflictingFields.isEmpty }.count)
        #expect(figures.contested == 1)
        var byCommuneAndStatus: [String: [String: Int]] = [:]
        var supportsByCommune: [String: Int] = [:]
        for proposal in all {
            byCommuneAndStatus[proposal.commune, default: [:]][proposal.status, default: 0] += 1
            if proposal.supportCount > 0 { supportsByCommune[proposal.commune, default: 0] += proposal.supportCount }
        }
        #expect(figures.byCommuneAndStatus == byCommuneAndStatus)
        #expect(figures.supportsByCommune == supportsByCommune)
        // Most supported first; among equals, the list's order (newest first).
        let top = all.enumerated().filter { $0.element.supportCount > 0 }
            .sorted { ($0.element.supportCount, -$0.offset) > ($1.element.supportCount, -$1.offset) }
            .prefix(8).map {
                ProposalStatistics.Supported(
                    id: $0.element.id,
                    title: $0.element.title,
                    supports: $0.element.supportCount
                )
            }
        #expect(figures.mostSupported == Array(top))
        let perPeriod = periods.map { period in
            Dictionary(grouping: all.filter { period.contains($0.createdAt) }, by: \.commune).mapValues(\.count)
        }
        #expect(figures.createdPerPeriod == perPeriod)
        #expect(perPeriod.allSatisfy { !$0.isEmpty }, "every period holds some proposals")
    }
}
