import Foundation
import SyncTestSupport
import Testing

/// A field laptop back after a long absence with tens of thousands of local changes, syncing over
/// a slow, lossy 3G-like link: in bounded batches, resuming after cuts, in bounded memory.
@Suite struct LongAbsenceTests {
    /// Runs a command while polling the hub's peak memory; returns its result and the hub's peak.
    static func measured(
        _ arguments: [String],
        on replica: ReplicaNodeProgram,
        hub: HubServerProcess
    ) async throws -> (ProgramResult, hubPeakKiB: Int) {
        let child = try replica.spawn(arguments)
        var hubPeak = 0
        while child.isRunning {
            hubPeak = max(hubPeak, hub.process?.peakRSSKiB ?? 0)
            try await Task.sleep(for: .milliseconds(20))
        }
        return (try await child.wait(), max(hubPeak, hub.process?.peakRSSKiB ?? 0))
    }

    /// Syncs until an exchange completes, at most `attempts` times; returns the last result and peaks.
    static func syncUntilDone(
        _ replica: ReplicaNodeProgram,
        hub: HubServerProcess,
        attempts: Int = 30
    ) async throws -> (result: ProgramResult, attempts: Int, peakKiB: Int, hubPeakKiB: Int) {
        var peak = 0
        var hubPeak = 0
        for attempt in 1...attempts {
            let (result, hubNow) = try await measured(
                ["sync", "--batch-limit", "500", "--timeout", "60", "--retries", "2", "--json"],
                on: replica,
                hub: hub
            )
            peak = max(peak, result.peakRSSKiB)
            hubPeak = max(hubPeak, hubNow)
            if result.succeeded || attempt == attempts { return (result, attempt, peak, hubPeak) }
        }
        fatalError("unreachable")
    }

    @Test func longAbsence_syncsInBatchesOverASlowLink_inBoundedMemory() async throws {
        let changes = Reliability.count("ABSENCE_CHANGES", quick: 3_000, soak: 50_000)
        let faults = FaultProxy.Faults(
            probabilities: ["reset": 0.02, "truncate": 0.02],
            latencyMillis: 150,
            bandwidth: 80_000,
            seed: Int(Reliability.seed % 100_000)
        )
        let province = try await Province.start(["tamanar", "essaouira"], faults: faults)
        let (laptop, office) = (province.replicas[0], province.replicas[1])
        var acknowledged = 0
        for start in stride(from: 0, to: changes, by: 10_000) {
            let csv = proposalsCSV(prefix: "absent\(start)", rows: min(10_000, changes - start))
            let path = laptop.folder.path("absent\(start).csv")
            try Data(csv.bytes).write(to: URL(fileURLWithPath: path))
            let imported = try await laptop("import", "--csv", path)
            #expect(imported.succeeded, "\(imported.stderr)")
            acknowledged += csv.titles.count
        }
        let push = try await Self.syncUntilDone(laptop, hub: province.hub)
        #expect(push.result.succeeded, "\(push.result.stderr.suffix(400))")
        let pull = try await Self.syncUntilDone(office, hub: province.hub)
        #expect(pull.result.succeeded, "\(pull.result.stderr.suffix(400))")
        #expect(try await province.converge().round != nil)
        let held = try await Programs.query(
            province.hub.database,
            "SELECT count(*) FROM proposal;",
            folder: laptop.folder
        )
        #expect(Int(held) == acknowledged)
        let report = try JSONSerialization.jsonObject(with: Data(push.result.stdoutBytes)) as? [String: Any]
        #expect(push.peakKiB < 256 * 1024 && pull.peakKiB < 256 * 1024, "replica peak \(push.peakKiB) KiB")
        #expect(max(push.hubPeakKiB, pull.hubPeakKiB) < 384 * 1024, "hub peak \(push.hubPeakKiB) KiB")
        Reliability.record(
            "long-absence",
            [
                ("changes", changes), ("bandwidth", "80000B/s"), ("latencyMs", 150),
                ("pushAttempts", push.attempts), ("lastPushBatches", report?["batches"] as? Int ?? -1),
                ("pullAttempts", pull.attempts), ("replicaPeakMiB", push.peakKiB / 1024),
                ("officePeakMiB", pull.peakKiB / 1024), ("hubPeakMiB", max(push.hubPeakKiB, pull.hubPeakKiB) / 1024),
                ("faults", (province.proxy?.injected ?? [:]).values.reduce(0, +)),
                ("lost", acknowledged - (Int(held) ?? 0)),
            ]
        )
    }
}
