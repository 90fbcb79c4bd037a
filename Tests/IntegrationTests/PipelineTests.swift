import Foundation
import SyncTestSupport
import Testing

/// Pipelined exchanges (one batch ahead each way) and gzip-compressed pushes, with the real
/// `hub-server` and `replica-node` binaries on loopback, through the fault proxy.
@Suite(.serialized) struct PipelineTests {
    private struct Report: Decodable {
        var pushed: Int
        var pulled: Int
        var digestsMatch: Bool
    }

    /// Writes a CSV of `rows` proposals into the replica's folder and imports it.
    private func importProposals(_ replica: ReplicaNodeProgram, prefix: String, rows: Int) async throws -> [String] {
        let csv = proposalsCSV(prefix: prefix, rows: rows)
        let path = replica.folder.path("\(prefix).csv")
        try Data(csv.bytes).write(to: URL(fileURLWithPath: path))
        let result = try await replica("import", "--csv", path)
        #expect(result.succeeded, "import failed: \(result.stderr)")
        return csv.titles
    }

    /// Answers dropped or cut short in the middle of pipelined pushes and pulls (small batches,
    /// no retries, so each failure ends the exchange with a batch read or asked for ahead), then
    /// a calm link: every acknowledged proposal is held exactly once everywhere, and the digests
    /// agree.
    @Test func pipelinedSync_withAnswersDroppedMidway_losesNothingAndConverges() async throws {
        let faults = FaultProxy.Faults(
            probabilities: ["reset-reply": 0.12, "truncate": 0.08, "reset": 0.05],
            seed: 4_242
        )
        let province = try await Province.start(["tamanar", "tamanar"], faults: faults)
        let (sender, receiver) = (province.replicas[0], province.replicas[1])
        var ledger = Ledger()
        ledger.acknowledge(try await importProposals(sender, prefix: "pipe-a", rows: 400))
        ledger.acknowledge(try await importProposals(receiver, prefix: "pipe-b", rows: 120))
        let flaky = ["sync", "--batch-limit", "15", "--retries", "0", "--timeout", "5"]
        var failed = 0
        for _ in 0..<6 {
            for replica in [sender, receiver] {
                if !(try await replica.run(flaky).succeeded) { failed += 1 }
            }
        }
        let injected = province.proxy?.injected ?? [:]
        province.proxy?.calm()
        let (round, failures) = try await province.converge(rounds: 4, arguments: ["--batch-limit", "15"])
        #expect(round != nil, "no convergence once the link was calm: \(failures.prefix(3))")
        #expect(failed > 0 && injected.values.reduce(0, +) > 0, "no exchange failed midway: \(injected)")

        var logCounts: Set<Int> = []
        for database in province.databases {
            let facts = try await DatabaseFacts.read(database, folder: province.hub.folder)
            #expect(facts.integrity == "ok")
            #expect(ledger.missing(from: Set(facts.titles)).isEmpty, "lost: \(ledger.missing(from: Set(facts.titles)))")
            #expect(facts.duplicateTitles.isEmpty, "held twice: \(facts.duplicateTitles.prefix(5))")
            #expect(facts.titles.count == ledger.acknowledged.count)
            logCounts.insert(facts.logEntries)
        }
        #expect(logCounts.count == 1, "the change logs differ: \(logCounts)")
        #expect(try await province.digests().count == 1)
    }

    /// A push of more than 1 KiB leaves the replica gzip-compressed (read by the proxy from the
    /// request's headers), the hub inflates and applies it, and another replica pulls it whole.
    @Test func pushBodies_goOutGzipped_andTheHubAppliesThem() async throws {
        let province = try await Province.start(["essaouira", "essaouira"], faults: FaultProxy.Faults())
        let (sender, receiver) = (province.replicas[0], province.replicas[1])
        let titles = try await importProposals(sender, prefix: "gzip", rows: 150)
        let pushed = try await sender("sync", "--json", "--batch-limit", "40")
        #expect(pushed.succeeded, "sync failed: \(pushed.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(pushed.stdout.utf8))
        #expect(report.pushed == 150 && report.digestsMatch)

        let requests = province.proxy?.received ?? []
        let pushes = requests.filter { $0.path == "/v1/push" }
        #expect(pushes.count >= 4, "pushes seen: \(pushes)")
        #expect(pushes.allSatisfy { $0.contentEncoding == "gzip" }, "pushes seen: \(pushes)")
        #expect(requests.filter { $0.path == "/v1/hello" }.allSatisfy { $0.contentEncoding == "identity" })

        let pulled = try await receiver("sync", "--json")
        #expect(pulled.succeeded, "sync failed: \(pulled.stderr)")
        #expect(try JSONDecoder().decode(Report.self, from: Data(pulled.stdout.utf8)).pulled == 150)
        #expect(Set(try await receiver.proposals().map(\.title)) == Set(titles))
        #expect(try await province.digests().count == 1)
    }
}
