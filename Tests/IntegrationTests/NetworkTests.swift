import Foundation
import SyncTestSupport
import Testing

/// The exchanges of the provincial network with the real `hub-server` and `replica-node`
/// binaries on loopback: a new replica's first sync, and incremental syncs that move only what
/// changed. (Crashes of the hub mid-sync, long absences, an unreachable hub and faulty links are
/// in the reliability suites.)
@Suite(.serialized) struct NetworkTests {
    private struct Report: Decodable {
        var pushed: Int
        var pulled: Int
        var digestsMatch: Bool
    }

    private func sync(_ replica: ReplicaNodeProgram) async throws -> Report {
        let result = try await replica("sync", "--json")
        #expect(result.succeeded, "sync failed: \(result.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    private func create(_ replica: ReplicaNodeProgram, _ count: Int, prefix: String) async throws {
        for index in 0..<count {
            let result = try await replica(
                "proposal",
                "create",
                "--title",
                "\(prefix) \(index)",
                "--body",
                "نص المقترح \(index)"
            )
            #expect(result.succeeded, "create failed: \(result.stderr)")
        }
    }

    @Test func firstSync_ofAnEmptyReplica_receivesTheWholeProvince() async throws {
        let province = try await Province.start(["essaouira", "tamanar"])
        let (essaouira, tamanar) = (province.replicas[0], province.replicas[1])
        try await create(essaouira, 12, prefix: "مقترح الصويرة")
        let published = try await sync(essaouira)
        #expect(published.pushed == 12 && published.digestsMatch)

        let first = try await sync(tamanar)
        #expect(first.pulled == 12 && first.pushed == 0 && first.digestsMatch)
        #expect(try await tamanar.proposals().count == 12)
        #expect(try await province.digests().count == 1)
    }

    @Test func incrementalSync_movesOnlyWhatChanged() async throws {
        let province = try await Province.start(["ounagha", "tamanar"])
        let (ounagha, tamanar) = (province.replicas[0], province.replicas[1])
        try await create(ounagha, 20, prefix: "Proposition d'Ounagha")
        _ = try await sync(ounagha)
        _ = try await sync(tamanar)

        try await create(ounagha, 3, prefix: "Nouvelle proposition")
        let up = try await sync(ounagha)
        #expect(up.pushed == 3 && up.pulled == 0)
        let down = try await sync(tamanar)
        #expect(down.pulled == 3 && down.pushed == 0 && down.digestsMatch)
        let idle = try await sync(tamanar)
        #expect(idle.pulled == 0 && idle.pushed == 0 && idle.digestsMatch)
        #expect(try await tamanar.proposals().count == 23)
        #expect(try await province.digests().count == 1)
    }
}
