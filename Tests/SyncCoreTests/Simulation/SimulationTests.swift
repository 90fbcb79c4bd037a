import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// The seeded simulation of seven replicas, two of them lying, with faulty delivery.
///
/// `SIM_SEEDS=N` runs N seeds (default 2000); `SIM_SEED=S` replays one seed alone:
/// `SIM_SEED=1234 swift test --filter SimulationTests`.
@Suite struct SimulationTests {
    static let environment = ProcessInfo.processInfo.environment
    static let lanes = 8

    static var seeds: [UInt64] {
        if let one = environment["SIM_SEED"].flatMap(UInt64.init) { return [one] }
        let count = environment["SIM_SEEDS"].flatMap(Int.init) ?? 2_000
        return (0..<UInt64(count)).map { $0 &* 0x9E37_79B9 &+ 17 }
    }

    @Test(arguments: 0..<lanes)
    func simulation_convergesWithoutLosingAcknowledgedWrites_andRefusesEveryLie(lane: Int) async throws {
        var totals = (
            writes: 0, batches: 0, dropped: 0, duplicated: 0, delayed: 0, concurrent: 0, collected: 0, runs: 0,
            lies: 0, replays: 0
        )
        var kinds: [String: Int] = [:]
        for (index, seed) in Self.seeds.enumerated() where index % Self.lanes == lane {
            let outcome = try await Simulation(seed: seed).run()
            for failure in outcome.failures.prefix(5) {
                Issue.record("\(failure)\nreplay: SIM_SEED=\(seed) swift test --filter SimulationTests")
            }
            if !outcome.failures.isEmpty { return }
            totals.writes += outcome.writes
            totals.batches += outcome.batches
            totals.dropped += outcome.dropped
            totals.duplicated += outcome.duplicated
            totals.delayed += outcome.delayed
            totals.concurrent += outcome.concurrentFields
            totals.collected += outcome.collected
            totals.lies += outcome.lies.values.reduce(0, +)
            totals.replays += outcome.replays
            kinds.merge(outcome.lies, uniquingKeysWith: +)
            totals.runs += 1
        }
        print(
            "simulation lane \(lane): \(totals.runs) seeds, \(totals.writes) acknowledged writes checked, "
                + "\(totals.batches) batches (\(totals.dropped) dropped, \(totals.duplicated) duplicated, "
                + "\(totals.delayed) delayed), \(totals.concurrent) fields ending with concurrent values, "
                + "\(totals.collected) log entries collected, 0 lost; \(totals.lies) lies refused "
                + "(\(kinds.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))), "
                + "\(totals.replays) replays without effect"
        )
        #expect(totals.runs > 0 || Self.seeds.count < Self.lanes)
        // Over a lane's seeds, every kind of lie is told.
        if totals.runs >= 50 { #expect(kinds.count == Simulation.Lie.allCases.count) }
    }
}
