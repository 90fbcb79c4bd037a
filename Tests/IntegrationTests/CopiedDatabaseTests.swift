import Foundation
import SyncTestSupport
import Testing

/// A replica's database file restored from a backup on a second laptop, both syncing afterwards.
@Suite struct CopiedDatabaseTests {
    @Test func restoredBackup_onASecondLaptop_isReidentifiedAndBothConverge() async throws {
        let province = try await Province.start(["tamanar", "essaouira"])
        let (first, office) = (province.replicas[0], province.replicas[1])
        var acknowledged: Set<String> = []
        for title in ["avant-1", "avant-2"] {
            #expect(try await first("proposal", "create", "--title", title, "--body", "b").succeeded)
            acknowledged.insert(title)
        }
        #expect(try await first("sync").succeeded)
        #expect(try await first("proposal", "create", "--title", "non-synchronisé", "--body", "b").succeeded)
        acknowledged.insert("non-synchronisé")

        // The backup: the file copied as it is (WAL included), restored on another laptop.
        let second = try ReplicaNodeProgram()
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: first.database + suffix) {
            try FileManager.default.copyItem(atPath: first.database + suffix, toPath: second.database + suffix)
        }
        let firstID = try await Self.identity(of: first)
        let secondID = try await Self.identity(of: second)
        #expect(firstID != secondID, "the copy kept the original's identity")
        let history = try await Programs.query(
            second.database,
            "SELECT replica FROM crdt_identity_history;",
            folder: second.folder
        )
        #expect(history == firstID)

        // Both laptops keep working and syncing, and the first one writes after the copy.
        for (replica, title) in [(first, "après-1"), (second, "copie-1"), (first, "après-2"), (second, "copie-2")] {
            #expect(try await replica("proposal", "create", "--title", title, "--body", "b").succeeded)
            acknowledged.insert(title)
            #expect(try await replica("sync").succeeded)
        }
        #expect(try await office("proposal", "create", "--title", "bureau", "--body", "b").succeeded)
        acknowledged.insert("bureau")
        let all = Province(hub: province.hub, replicas: [first, second, office], communes: [], proxy: nil)
        let (round, failures) = try await all.converge()
        #expect(round != nil, "\(failures)")
        var lost = 0
        for database in all.databases {
            let facts = try await DatabaseFacts.read(database, folder: province.hub.folder)
            lost += acknowledged.subtracting(facts.titles).count
            #expect(facts.integrity == "ok" && facts.duplicateTitles.isEmpty)
            #expect(Set(facts.titles) == acknowledged, "\(database)")
        }
        let listing = try await province.hub.run(["replicas", "--json"])
        #expect(listing.stdout.contains(firstID) && listing.stdout.contains(secondID))
        Reliability.record(
            "copied-database",
            [("replicas", 3), ("writes", acknowledged.count), ("lost", lost), ("converged", round != nil)]
        )
    }

    /// A replica's current identity, as `status --json` shows it.
    static func identity(of replica: ReplicaNodeProgram) async throws -> String {
        let status = try await replica("status", "--json", "--timeout", "2")
        let object = try JSONSerialization.jsonObject(with: Data(status.stdoutBytes)) as? [String: Any]
        return object?["replica"] as? String ?? ""
    }
}
