import Foundation
import SyncTestSupport
import Testing

/// `replica-node daemon` against a hub that goes down and a link that misbehaves: it neither gives
/// up nor spins, its waits grow while the hub is away, and it converges once the hub is back.
@Suite(.serialized) struct DaemonTests {
    /// What the daemon logged: one entry per attempt.
    struct Attempts {
        var succeeded = 0
        var failed = 0
        /// The waits announced after failures, in seconds, in order.
        var retryDelays: [Double] = []

        init(_ log: String) {
            for line in log.split(separator: "\n") {
                if line.contains("sync succeeded") { succeeded += 1 }
                guard line.contains("sync failed") else { continue }
                failed += 1
                if let range = line.range(of: #"retry_in=[0-9.]+"#, options: .regularExpression) {
                    retryDelays.append(Double(line[range].dropFirst("retry_in=".count)) ?? -1)
                }
            }
        }

        var total: Int { succeeded + failed }
    }

    /// Polls until `condition` holds, at most `polls` times, 100 ms apart.
    static func waitUntil(polls: Int = 900, _ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<polls {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    @Test func daemon_backsOffWhileTheHubIsDown_andResumesWhenItReturns() async throws {
        let province = try await Province.start(["essaouira", "tamanar"])
        let (office, laptop) = (province.replicas[0], province.replicas[1])
        try await province.hub.stop()
        #expect(try await laptop("proposal", "create", "--title", "pendant la coupure", "--body", "b").succeeded)
        let daemon = try laptop.spawn([
            "daemon", "--interval", "1", "--max-backoff", "4", "--timeout", "2", "--retries", "0",
        ])
        let started = ContinuousClock.now
        #expect(try await Self.waitUntil { Attempts(daemon.stderrSoFar).failed >= 5 })
        let outage = Attempts(daemon.stderrSoFar)
        let outageSeconds = (ContinuousClock.now - started).inSeconds
        let delays = outage.retryDelays
        #expect(delays.count >= 5 && delays.allSatisfy { (0.5...4.05).contains($0) }, "\(delays)")
        #expect(delays.count >= 3 && delays[0] <= 1.05 && (0.95...2.05).contains(delays[1]) && delays[2] >= 1.95)
        try await province.hub.start()
        #expect(try await Self.waitUntil { Attempts(daemon.stderrSoFar).succeeded >= 1 })
        #expect(try await office("proposal", "create", "--title", "après la coupure", "--body", "b").succeeded)
        #expect(try await office("sync").succeeded)
        let before = Attempts(daemon.stderrSoFar).succeeded
        #expect(try await Self.waitUntil { Attempts(daemon.stderrSoFar).succeeded >= before + 1 })
        daemon.kill(SIGTERM)
        let ended = try await daemon.wait()
        #expect(ended.status == 0, "\(ended.stderr.suffix(500))")
        #expect(try await office("sync").succeeded)
        #expect(try await province.digests().count == 1)
        Reliability.record(
            "daemon-hub-down",
            [
                ("failedAttempts", outage.failed), ("outageSeconds", String(format: "%.1f", outageSeconds)),
                ("retryDelays", delays.map { String($0) }.joined(separator: ",")),
                ("succeededAfter", Attempts(ended.stderr).succeeded), ("exitOnSIGTERM", ended.status),
            ]
        )
    }

    @Test func daemon_throughAFlakyLink_neitherGivesUpNorSpins() async throws {
        let province = try await Province.start(
            ["essaouira", "tamanar"],
            faults: FlakyLinkTests.badLink(seed: Reliability.seed &+ 1)
        )
        let (office, laptop) = (province.replicas[0], province.replicas[1])
        let window = Reliability.count("DAEMON_ATTEMPTS", quick: 12, soak: 60)
        var acknowledged: Set<String> = []
        let daemon = try laptop.spawn([
            "daemon", "--interval", "1", "--max-backoff", "4", "--timeout", "2", "--retries", "1",
        ])
        let started = ContinuousClock.now
        var round = 0
        while Attempts(daemon.stderrSoFar).total < window {
            for title in ["o\(round)", "l\(round)"] {
                let writer = title.hasPrefix("o") ? office : laptop
                #expect(try await writer("proposal", "create", "--title", title, "--body", "b").succeeded)
                acknowledged.insert(title)
            }
            _ = try await office("sync", "--timeout", "2")
            round += 1
            try await Task.sleep(for: .milliseconds(700))
        }
        let seen = Attempts(daemon.stderrSoFar)
        let seconds = (ContinuousClock.now - started).inSeconds
        #expect(seen.total <= Int(seconds / 0.5) + 2, "\(seen.total) attempts in \(seconds) s: spinning")
        #expect(seen.retryDelays.allSatisfy { (0.5...4.05).contains($0) }, "\(seen.retryDelays)")
        province.proxy?.calm()
        let calmed = Attempts(daemon.stderrSoFar).succeeded
        #expect(try await Self.waitUntil { Attempts(daemon.stderrSoFar).succeeded >= calmed + 1 })
        #expect(try await office("sync").succeeded)
        let synced = Attempts(daemon.stderrSoFar).succeeded
        #expect(try await Self.waitUntil { Attempts(daemon.stderrSoFar).succeeded >= synced + 1 })
        daemon.kill(SIGTERM)
        _ = try await daemon.wait()
        #expect(try await province.digests().count == 1)
        let titles = Set(try await laptop.proposals().map(\.title))
        #expect(acknowledged.isSubset(of: titles), "lost: \(acknowledged.subtracting(titles))")
        Reliability.record(
            "daemon-flaky-link",
            [
                ("attempts", seen.total), ("succeeded", seen.succeeded), ("failed", seen.failed),
                ("seconds", String(format: "%.1f", seconds)), ("acknowledged", acknowledged.count),
                ("lost", acknowledged.subtracting(titles).count),
                ("faults", (province.proxy?.injected ?? [:]).values.reduce(0, +)),
            ]
        )
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
