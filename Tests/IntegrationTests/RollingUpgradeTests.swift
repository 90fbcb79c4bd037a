import Foundation
import SyncCore
import SyncTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A rolling upgrade with real processes.
///
/// A hub on schema version 2, one office still on version 1, one on version 2, and a version-1
/// field laptop that syncs by USB bundle through its office. Everyone writes, the version-2 side writes version-2 fields, they sync; then the
/// office and the laptop upgrade and sync again.
///
/// The older version runs as this build with `ESSAOUIRA_SCHEMA_VERSION=1` (Docs/UPGRADING.md
/// says why a build of the previous release is not used).
@Suite struct RollingUpgradeTests {
    static let version1 = [Schema.versionVariable: "1"]

    private struct Bundled: Decodable {
        var applied: Int
        var ignored: Int
    }

    private struct Report: Decodable {
        var pushed: Int
        var pulled: Int
        var digestsMatch: Bool
        var comparedSchemaVersion: Int
    }

    private static func sync(_ replica: ReplicaNodeProgram) async throws -> Report {
        let result = try await replica.run(["sync", "--json"])
        guard result.succeeded else { throw ProgramFailure("sync failed: \(result.stderr)") }
        return try JSONDecoder().decode(Report.self, from: Data(result.stdoutBytes))
    }

    private static func carry(
        from: ReplicaNodeProgram,
        to: ReplicaNodeProgram,
        for receiver: String
    ) async throws
        -> Bundled
    {
        let file = from.folder.path("carry-\(UUID().uuidString).bundle")
        let exported = try await from.run(["bundle", "export", "--for", receiver, file, "--json"])
        guard exported.succeeded else { throw ProgramFailure("bundle export failed: \(exported.stderr)") }
        let imported = try await to.run(["bundle", "import", file, "--json"])
        guard imported.succeeded else { throw ProgramFailure("bundle import failed: \(imported.stderr)") }
        return try JSONDecoder().decode(Bundled.self, from: Data(imported.stdoutBytes))
    }

    private static func write(_ replica: ReplicaNodeProgram, _ arguments: String...) async throws -> String {
        let result = try await replica.run(arguments)
        guard result.succeeded else { throw ProgramFailure("\(arguments.joined(separator: " ")): \(result.stderr)") }
        return result.trimmedOutput
    }

    /// The hub's Prometheus counters of changes sent in pulls and of pushed changes it already had.
    private static func counters(_ hub: URL) async throws -> (pulled: Int, ignored: Int) {
        let (data, _) = try await URLSession.shared.data(from: hub.appendingPathComponent("metrics"))
        let text = String(decoding: data, as: UTF8.self)
        func value(_ name: String) -> Int {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap {
                Double($0.split(separator: " ")[1])
            }
            .map { Int($0) } ?? 0
        }
        return (value("hub_changes_pulled_total"), value("hub_changes_ignored_total"))
    }

    @Test func rollingUpgrade_mixedVersionsSyncEveryPipe_andConvergeWithNothingLostOrSentTwice() async throws {
        let hub = try HubServerProcess()
        let tokenA = try await hub.enroll(commune: "essaouira")
        let tokenB = try await hub.enroll(commune: "ounagha")
        let url = try await hub.start()
        let officeA = try ReplicaNodeProgram(environment: Self.version1)
        try await officeA.initialize(commune: "essaouira", hub: url, token: tokenA)
        let officeB = try ReplicaNodeProgram()
        try await officeB.initialize(commune: "ounagha", hub: url, token: tokenB)
        let laptop = try ReplicaNodeProgram(environment: Self.version1)
        let (peer, _) = try await officeA.addPeer(label: "field laptop", tokenFileIn: laptop.folder)
        try await laptop.initialize(commune: "essaouira", hub: URL(string: "http://127.0.0.1:9")!, token: peer.token)
        let officeAID = try await Programs.query(
            officeA.database,
            "SELECT replica FROM crdt_self;",
            folder: officeA.folder
        )

        // Writes on every side; version-2 fields where the writer runs version 2.
        let added = try await hub.run(["commune", "add", "--code", "hanchane", "--ar", "حنشان", "--fr", "Hanchane"])
        #expect(added.succeeded, "\(added.stderr)")
        let fromB = try await Self.write(
            officeB,
            "proposal",
            "create",
            "--title",
            "Piste",
            "--body",
            "b",
            "--place",
            "Douar Ait Daoud"
        )
        _ = try await Self.write(
            officeB,
            "event",
            "create",
            "--title",
            "Atelier",
            "--kind",
            "workshop",
            "--date",
            "2026-12-10",
            "--capacity",
            "30"
        )
        let fromA = try await Self.write(officeA, "proposal", "create", "--title", "تهيئة الساحة", "--body", "نص")
        let fromLaptop = try await Self.write(
            laptop,
            "proposal",
            "create",
            "--title",
            "Visite d'école",
            "--body",
            "ⴰⵣⵓⵍ"
        )
        _ = try await Self.write(laptop, "support", "add", "--proposal", fromLaptop, "--citizen", "c-1")

        // Round 1, versions mixed.
        let b0 = try await Self.sync(officeB)
        #expect(b0.pushed == 2 && b0.pulled == 1, "\(b0)")
        let a1 = try await Self.sync(officeA)
        #expect(a1.pushed == 1 && a1.digestsMatch && a1.comparedSchemaVersion == 1, "\(a1)")
        let toOffice = try await Self.carry(from: laptop, to: officeA, for: "{}")
        #expect(toOffice.applied == 2 && toOffice.ignored == 0)
        let toLaptop = try await Self.carry(from: officeA, to: laptop, for: peer.id)
        #expect(toLaptop.ignored == 0 && toLaptop.applied > 0)
        // The old office relayed the version-2 fields it kept: the old laptop keeps them too.
        let keptAtLaptop = try await Programs.query(
            laptop.database,
            "SELECT count(*) FROM crdt_kept;",
            folder: laptop.folder
        )
        #expect((Int(keptAtLaptop) ?? 0) > 0)
        let a2 = try await Self.sync(officeA)
        #expect(a2.pushed == 2 && a2.pulled == 0 && a2.digestsMatch, "\(a2)")
        let b1 = try await Self.sync(officeB)
        #expect(b1.digestsMatch && b1.comparedSchemaVersion == 2, "\(b1)")
        #expect(try await laptop.digest() == (try await officeA.digest()))

        // The office and the laptop upgrade: nothing has to be sent again.
        let upgradedA = ReplicaNodeProgram(database: officeA.database, folder: officeA.folder)
        let upgradedLaptop = ReplicaNodeProgram(database: laptop.database, folder: laptop.folder)
        #expect(try await upgradedA.digest() == (try await hub.digest()))
        #expect(try await upgradedLaptop.digest() == (try await upgradedA.digest()))
        let shown = try await upgradedLaptop.run(["proposal", "show", fromB])
        #expect(shown.stdout.contains("place: Douar Ait Daoud"), "\(shown.stdout)")
        let a3 = try await Self.sync(upgradedA)
        #expect(a3.pushed == 0 && a3.pulled == 0 && a3.digestsMatch && a3.comparedSchemaVersion == 2, "\(a3)")

        // After the upgrade: a version-2 write at the laptop, through the office to everyone.
        let placed = try await Self.write(upgradedLaptop, "proposal", "edit", fromA, "--place", "Derb Laalouj")
        #expect(placed.contains("place: Derb Laalouj"))
        let back = try await Self.carry(from: upgradedLaptop, to: upgradedA, for: officeAID)
        #expect(back.applied == 1 && back.ignored == 0)
        let a4 = try await Self.sync(upgradedA)
        #expect(a4.pushed == 1 && a4.pulled == 0 && a4.digestsMatch)
        let b2 = try await Self.sync(officeB)
        #expect(b2.pulled == 1 && b2.digestsMatch)
        let pulledByReplicas = [b0, a1, a2, b1, a3, a4, b2].map(\.pulled).reduce(0, +)

        // Every digest equal; no acknowledged write lost; no change crossed a link twice.
        let digest = try await hub.digest()
        for replica in [upgradedA, officeB, upgradedLaptop] { #expect(try await replica.digest() == digest) }
        for replica in [upgradedA, officeB, upgradedLaptop] {
            let titles = try await replica.proposals().map(\.title)
            #expect(Set(titles) == ["Piste", "تهيئة الساحة", "Visite d'école"], "\(titles)")
        }
        let counters = try await Self.counters(url)
        #expect(counters.ignored == 0, "a pushed change reached the hub twice")
        #expect(counters.pulled == pulledByReplicas, "a pulled change was sent twice")
        let listed = try await hub.run(["replicas", "--json"])
        #expect(!listed.stdout.contains(#""mustUpgrade" : true"#), "\(listed.stdout)")
        try await hub.stop()
        Reliability.record(
            "rolling-upgrade",
            [("replicas", 3), ("keptAtLaptop", keptAtLaptop), ("digestsEqual", 4), ("sentTwice", counters.ignored)]
        )
    }
}
