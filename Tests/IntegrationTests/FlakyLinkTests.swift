import Foundation
import SyncTestSupport
import Testing

/// Replicas syncing through a fault-injecting proxy: resets mid-body, stalls past the client's
/// timeout, truncated answers, latency, a 3G-like bandwidth, duplicated and late requests.
@Suite(.serialized) struct FlakyLinkTests {
    /// The faults of a bad 3G link, per request.
    static func badLink(seed: UInt64) -> FaultProxy.Faults {
        FaultProxy.Faults(
            probabilities: [
                "reset": 0.08, "reset-reply": 0.08, "truncate": 0.08, "stall": 0.04, "duplicate": 0.15,
                "reorder": 0.15,
            ],
            stallSeconds: 3,
            latencyMillis: 40,
            bandwidth: 96_000,
            seed: Int(seed % 100_000)
        )
    }

    @Test func syncThroughAFlakyLink_convergesWithNothingLost() async throws {
        let rounds = Reliability.count("FLAKY_ROUNDS", quick: 5, soak: 40)
        let province = try await Province.start(
            ["essaouira", "tamanar", "tamanar"],
            faults: Self.badLink(seed: Reliability.seed)
        )
        var ledger = Ledger()
        var outcomes: [Int32: Int] = [:]
        let bulk = proposalsCSV(prefix: "bulk", rows: 300)
        let path = province.replicas[0].folder.path("bulk.csv")
        try Data(bulk.bytes).write(to: URL(fileURLWithPath: path))
        #expect(try await province.replicas[0]("import", "--csv", path).succeeded)
        ledger.acknowledge(bulk.titles)
        for round in 0..<rounds {
            for (index, replica) in province.replicas.enumerated() {
                for item in 0..<3 {
                    let title = "r\(round)-\(index)-\(item)"
                    let created = try await replica("proposal", "create", "--title", title, "--body", "نص \(title)")
                    #expect(created.succeeded, "\(created.stderr)")
                    ledger.acknowledge([title])
                }
                let sync = try await replica("sync", "--timeout", "2", "--retries", "2", "--batch-limit", "40")
                outcomes[sync.status, default: 0] += 1
            }
        }
        let injected = province.proxy?.injected ?? [:]
        province.proxy?.calm()
        let (round, failures) = try await province.converge(rounds: 6, arguments: ["--timeout", "5"])
        #expect(round != nil, "no convergence after the link calmed down: \(failures.prefix(3))")
        var lost = 0
        for database in province.databases {
            let facts = try await DatabaseFacts.read(database, folder: province.hub.folder)
            let missing = ledger.missing(from: Set(facts.titles))
            lost += missing.count
            #expect(facts.integrity == "ok")
            #expect(missing.isEmpty, "lost: \(missing.prefix(5))")
            #expect(facts.duplicateTitles.isEmpty && facts.titles.count == ledger.acknowledged.count)
        }
        #expect(injected.values.reduce(0, +) > 0)
        Reliability.record(
            "flaky-link",
            [
                ("rounds", rounds), ("replicas", province.replicas.count), ("syncs", outcomes.values.reduce(0, +)),
                (
                    "syncExitCodes",
                    outcomes.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
                ),
                ("faults", injected.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")),
                ("acknowledged", ledger.acknowledged.count), ("lost", lost), ("calmRoundsToConverge", round ?? -1),
            ]
        )
    }
}
