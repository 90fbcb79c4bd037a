import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// The proposals lists' filters answered by SQL give what the same filters give applied to every
/// proposal in Swift, page by page.
@Suite struct ProposalQueryTests {
    /// The filters as the lists applied them in memory: the reference.
    private func reference(_ all: [Proposal], _ query: ProposalQuery) -> [Proposal] {
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        return all.filter { proposal in
            if let commune = query.commune, proposal.commune != commune { return false }
            if let status = query.status, proposal.status != status { return false }
            if let category = query.category, proposal.category != category { return false }
            if let place = query.place, proposal.place?.range(of: place, options: options) == nil { return false }
            if let from = query.createdFrom, proposal.createdAt < from { return false }
            if let before = query.createdBefore, proposal.createdAt >= before { return false }
            if let search = query.search {
                return [proposal.title, proposal.body, proposal.answer ?? "", proposal.id].contains {
                    $0.range(of: search, options: options) != nil
                }
            }
            return true
        }
    }

    @Test func everyFilterAndPage_matchesTheFiltersAppliedInMemory() throws {
        let folder = try TemporaryDirectory()
        let clock = ManualClock(start: 1_790_000_000_000)
        let store = try ReplicaStore(path: folder.path("replica.sqlite"), wallClock: clock.read)
        let communes = ["essaouira", "ounagha", "tamanar"]
        let titles = ["Éclairage public", "إنارة عمومية", "Puits du douar", "ساحة المدينة", "ÉCOLE rurale", "Piste"]
        let places = ["Douar Aït Daoud", "حي السلام", nil, "Sidi Kaouki"]
        let categories = ["eau", "urbanisme", nil]
        var random = SplitMix64(seed: 7)
        for index in 0..<90 {
            clock.advance(by: Int64(random.next() % 3) * 3_600_000)
            let id = try store.createProposal(
                ProposalDraft(
                    title: "\(titles[index % titles.count]) \(index)",
                    body: index % 4 == 0 ? "Le café de la placette" : "نص المقترح",
                    category: categories[index % categories.count],
                    commune: communes[index % communes.count],
                    place: places[index % places.count]
                )
            )
            if index % 5 == 0 {
                try store.editProposal(id, ProposalEdit(status: "accepted", answer: "Réponse n° \(index)"))
            }
        }
        let all = try store.proposals()
        let middle = all[all.count / 2].createdAt
        var queries: [ProposalQuery] = [ProposalQuery()]
        func add(_ change: (inout ProposalQuery) -> Void) {
            var query = ProposalQuery()
            change(&query)
            queries.append(query)
        }
        add { $0.commune = "tamanar" }
        add { $0.status = "accepted" }
        add { $0.category = "eau" }
        add { $0.place = "ait" }
        add { $0.place = "السلام" }
        add { $0.search = "eclairage" }
        add { $0.search = "école" }
        add { $0.search = "CAFE" }
        add { $0.search = "reponse n° 1" }
        add { $0.search = "100%_" }
        add { $0.search = "إنارة" }
        add { $0.createdFrom = middle }
        add { $0.createdBefore = middle }
        add {
            $0.commune = "ounagha"
            $0.status = "submitted"
            $0.createdFrom = middle
            $0.search = "ساحة"
        }
        for query in queries {
            let expected = reference(all, query)
            for offset in stride(from: 0, through: expected.count + 20, by: 20) {
                var paged = query
                paged.offset = offset
                let page = try store.proposals(matching: paged)
                #expect(page.total == expected.count, "\(query)")
                #expect(page.proposals == Array(expected.dropFirst(offset).prefix(20)), "\(query) at \(offset)")
            }
        }
        #expect(try store.proposalCategories() == ["eau", "urbanisme"])
    }
}
