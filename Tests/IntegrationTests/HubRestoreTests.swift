import Foundation
import SyncTestSupport
import Testing

/// A hub restored from an older backup recovers, from the communes' replicas, every change it
/// lost: each replica pushes the changes of its own commune and leaves out the origins the hub
/// binds to other communes (which it would refuse from that replica).
@Suite(.serialized) struct HubRestoreTests {
    private func create(_ replica: ReplicaNodeProgram, _ titles: [String]) async throws {
        for title in titles {
            let result = try await replica("proposal", "create", "--title", title, "--body", "نص")
            #expect(result.succeeded, "create failed: \(result.stderr)")
        }
    }

    @Test func hubRestoredFromABackup_recoversEveryCommunesLaterChanges() async throws {
        let province = try await Province.start(["essaouira", "tamanar"])
        let (essaouira, tamanar) = (province.replicas[0], province.replicas[1])
        try await create(essaouira, ["E1", "E2"])
        try await create(tamanar, ["T1", "T2"])
        #expect(try await province.converge().round != nil)

        // The backup the operator's guide prescribes: SQLite's online backup, hub running.
        let backup = province.hub.database + ".backup"
        _ = try await Programs.query(province.hub.database, ".backup '\(backup)'", folder: essaouira.folder)

        try await create(essaouira, ["E3"])
        try await create(tamanar, ["T3", "T4"])
        #expect(try await province.converge().round != nil)

        try await province.hub.stop()
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: province.hub.database + suffix)
        }
        try FileManager.default.copyItem(atPath: backup, toPath: province.hub.database)
        try await province.hub.start()

        let outcome = try await province.converge()
        #expect(outcome.round != nil, "the province did not converge after the restore: \(outcome.failures)")
        #expect(outcome.failures.isEmpty, "syncs failed after the restore: \(outcome.failures)")
        let held = try await Programs.query(
            province.hub.database,
            "SELECT count(*) FROM proposal;",
            folder: essaouira.folder
        )
        #expect(Int(held) == 7)
    }
}
