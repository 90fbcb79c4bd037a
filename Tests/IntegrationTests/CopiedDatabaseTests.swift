import Foundation
import SyncTestSupport
import Testing

/// A replica's database file restored from a backup: on a second laptop, both syncing
/// afterwards, or copied back over the original file.
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

    @Test func backupCopiedBackInPlace_takesANewIdentityAtItsNextSync_andLosesNothing() async throws {
        let province = try await Province.start(["tamanar"])
        let replica = province.replicas[0]
        for title in ["avant-1", "avant-2"] {
            #expect(try await replica("proposal", "create", "--title", title, "--body", "b").succeeded)
        }
        #expect(try await replica("sync").succeeded)
        let backup = replica.folder.path("backup.sqlite")
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: replica.database + suffix) {
            try FileManager.default.copyItem(atPath: replica.database + suffix, toPath: backup + suffix)
        }
        for title in ["après-1", "après-2"] {
            #expect(try await replica("proposal", "create", "--title", title, "--body", "b").succeeded)
        }
        #expect(try await replica("sync").succeeded)
        let original = try await Self.identity(of: replica)

        // OPERATIONS.md's restore: cp over the file (it keeps its inode), WAL and shared memory removed.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: replica.database + suffix) }
        let copied = try await Programs.run("/bin/cp", [backup, replica.database], folder: replica.folder)
        #expect(copied.succeeded, "\(copied.stderr)")
        if FileManager.default.fileExists(atPath: backup + "-wal") {
            try FileManager.default.copyItem(atPath: backup + "-wal", toPath: replica.database + "-wal")
        }
        #expect(try await Self.identity(of: replica) == original, "the file kept its inode and its identity")

        // The hub holds two more writes of that identity than the file: it takes a new one, then
        // pulls its earlier self's writes back.
        let sync = try await replica("sync")
        #expect(sync.succeeded, "\(sync.stderr)")
        #expect(sync.stdout.contains("took the new identity"), "\(sync.stdout)")
        let renewed = try await Self.identity(of: replica)
        #expect(renewed != original)
        #expect(try await replica.proposals().count == 4)
        #expect(try await replica("proposal", "create", "--title", "après la restauration", "--body", "b").succeeded)
        #expect(try await replica("sync").succeeded)
        let facts = try await DatabaseFacts.read(province.hub.database, folder: province.hub.folder)
        #expect(Set(facts.titles) == ["avant-1", "avant-2", "après-1", "après-2", "après la restauration"])
        #expect(facts.duplicateTitles.isEmpty)
        #expect(try await province.hub.digest() == replica.digest())
    }

    /// A replica's current identity, as `status --json` shows it.
    static func identity(of replica: ReplicaNodeProgram) async throws -> String {
        let status = try await replica("status", "--json", "--timeout", "2")
        let object = try JSONSerialization.jsonObject(with: Data(status.stdoutBytes)) as? [String: Any]
        return object?["replica"] as? String ?? ""
    }
}
