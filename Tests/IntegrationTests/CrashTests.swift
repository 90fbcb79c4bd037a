import Foundation
import SyncTestSupport
import Testing

/// SIGKILL of `replica-node` and `hub-server` processes at random points, as power cuts do.
///
/// Trials rotate through four kinds: a replica killed in a loop of `proposal create`, in a large
/// `import --csv`, during `sync`, and the hub killed during a sync. After each trial every
/// database passes `PRAGMA integrity_check`, every acknowledged write is there once, an
/// interrupted import is all or nothing, and the next syncs converge to equal digests.
@Suite(.serialized) struct CrashTests {
    enum Kind: String, CaseIterable {
        case writes, importFile, replicaSync, hubSync
    }

    struct Tally {
        var kills: [Kind: Int] = [:]
        var partialImports = 0
        var syncRoundsMax = 0
        var syncFailures = 0
        var lost = 0
        var cutShort = 0
    }

    @Test func sigkill_atRandomPoints_losesNoAcknowledgedWriteAndConverges() async throws {
        let trials = Reliability.count("TRIALS", quick: 20, soak: 200)
        var random = SplitMix64(seed: Reliability.seed)
        let province = try await Province.start(["essaouira", "tamanar"])
        var ledger = Ledger()
        var tally = Tally()
        for trial in 0..<trials {
            let kind = Kind.allCases[trial % Kind.allCases.count]
            let replica = province.replicas[(trial / Kind.allCases.count) % province.replicas.count]
            try await run(
                kind,
                trial: trial,
                on: replica,
                in: province,
                random: &random,
                ledger: &ledger,
                tally: &tally
            )
            tally.kills[kind, default: 0] += 1
            try await verify(province, ledger: ledger, trial: trial, kind: kind, tally: &tally)
        }
        #expect(tally.partialImports == 0)
        Reliability.record(
            "crashes",
            [
                ("trials", trials), ("kills", tally.kills.values.reduce(0, +)), ("cutShort", tally.cutShort),
                ("kinds", Kind.allCases.map { "\($0.rawValue):\(tally.kills[$0] ?? 0)" }.joined(separator: ",")),
                ("acknowledged", ledger.acknowledged.count), ("interrupted", ledger.interrupted.count),
                ("partialImports", tally.partialImports), ("maxSyncRounds", tally.syncRoundsMax),
                ("lost", tally.lost),
            ]
        )
    }

    // MARK: - Trials

    private func run(
        _ kind: Kind,
        trial: Int,
        on replica: ReplicaNodeProgram,
        in province: Province,
        random: inout SplitMix64,
        ledger: inout Ledger,
        tally: inout Tally
    ) async throws {
        let cutShort: Bool
        switch kind {
        case .writes:
            cutShort = try await killDuringWrites(trial: trial, on: replica, random: &random, ledger: &ledger)
        case .importFile:
            cutShort = try await killDuringImport(trial: trial, on: replica, random: &random, ledger: &ledger)
            let held = try await Programs.query(
                replica.database,
                "SELECT count(*) FROM proposal WHERE title LIKE 'i\(trial)-%';",
                folder: replica.folder
            )
            if held != "0" && held != "400" { tally.partialImports += 1 }
        case .replicaSync, .hubSync:
            cutShort = try await killDuringSync(
                kind,
                trial: trial,
                on: replica,
                in: province,
                random: &random,
                ledger: &ledger
            )
        }
        if cutShort { tally.cutShort += 1 }
    }

    /// Imports a CSV file of 400 proposals and kills the import at a random instant.
    ///
    /// - Returns: Whether the kill cut the import short.
    private func killDuringImport(
        trial: Int,
        on replica: ReplicaNodeProgram,
        random: inout SplitMix64,
        ledger: inout Ledger
    ) async throws -> Bool {
        let csv = proposalsCSV(prefix: "i\(trial)", rows: 400)
        let path = try write(csv.bytes, named: "i\(trial).csv", in: replica)
        let child = try replica.spawn(["import", "--csv", path])
        try await Task.sleep(for: .milliseconds(Int.random(in: 0..<300, using: &random)))
        child.kill()
        let result = try await child.wait()
        if result.succeeded { ledger.acknowledge(csv.titles) } else { ledger.interrupt(csv.titles) }
        return result.signal != nil
    }

    /// Imports 300 proposals (acknowledged), then kills the replica or the hub during the sync.
    ///
    /// - Returns: Whether the kill cut the sync short.
    private func killDuringSync(
        _ kind: Kind,
        trial: Int,
        on replica: ReplicaNodeProgram,
        in province: Province,
        random: inout SplitMix64,
        ledger: inout Ledger
    ) async throws -> Bool {
        let csv = proposalsCSV(prefix: "s\(trial)", rows: 300)
        let path = try write(csv.bytes, named: "s\(trial).csv", in: replica)
        let imported = try await replica("import", "--csv", path)
        #expect(imported.succeeded, "\(imported.stderr)")
        ledger.acknowledge(csv.titles)
        let sync = try replica.spawn(["sync", "--batch-limit", "25", "--retries", "0"])
        try await Task.sleep(for: .milliseconds(Int.random(in: 0..<900, using: &random)))
        if kind == .replicaSync {
            sync.kill()
            return try await sync.wait().signal != nil
        }
        try await province.hub.kill()
        let result = try await sync.wait()
        try await province.hub.start()
        return !result.succeeded
    }

    /// Runs `proposal create` in a loop and kills one of the processes at a random instant.
    ///
    /// - Returns: Whether the kill cut that process short.
    private func killDuringWrites(
        trial: Int,
        on replica: ReplicaNodeProgram,
        random: inout SplitMix64,
        ledger: inout Ledger
    ) async throws -> Bool {
        let victim = Int.random(in: 0..<6, using: &random)
        for index in 0...victim {
            let title = "w\(trial)-\(index)"
            let child = try replica.spawn(["proposal", "create", "--title", title, "--body", "نص \(title)"])
            if index == victim {
                try await Task.sleep(for: .milliseconds(Int.random(in: 0..<90, using: &random)))
                child.kill()
            }
            let result = try await child.wait()
            if result.succeeded && !result.trimmedOutput.isEmpty {
                ledger.acknowledge([title])
            } else {
                ledger.interrupt([title])
            }
            if index == victim { return result.signal != nil }
        }
        return false
    }

    private func write(_ bytes: [UInt8], named name: String, in replica: ReplicaNodeProgram) throws -> String {
        let path = replica.folder.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: - Checks

    private func verify(
        _ province: Province,
        ledger: Ledger,
        trial: Int,
        kind: Kind,
        tally: inout Tally
    ) async throws {
        let context = "trial \(trial) (\(kind.rawValue))"
        for database in province.databases {
            let facts = try await DatabaseFacts.read(database, folder: province.hub.folder)
            #expect(facts.integrity == "ok", "\(context): \(database): \(facts.integrity)")
            #expect(facts.duplicateTitles.isEmpty, "\(context): applied twice: \(facts.duplicateTitles.prefix(5))")
        }
        let (round, failures) = try await province.converge()
        #expect(round != nil, "\(context): no convergence; \(failures.prefix(3))")
        tally.syncRoundsMax = max(tally.syncRoundsMax, round ?? 0)
        tally.syncFailures += failures.count
        for database in province.databases {
            let facts = try await DatabaseFacts.read(database, folder: province.hub.folder)
            let titles = Set(facts.titles)
            tally.lost += ledger.missing(from: titles).count
            #expect(ledger.missing(from: titles).isEmpty, "\(context): lost \(ledger.missing(from: titles).prefix(5))")
            #expect(ledger.unexplained(in: titles).isEmpty, "\(context): \(ledger.unexplained(in: titles).prefix(5))")
            #expect(facts.duplicateTitles.isEmpty && facts.logEntries == facts.titles.count, "\(context): \(database)")
        }
    }
}
