import Foundation
import SyncCore
import SyncTestSupport
import Testing

@testable import ReplicaNode

/// `replica-node sync` and `status` as processes, against a hub served by the test process.
@Suite struct CLISyncTests {
    @Test func sync_twoCommunesConvergeThroughTheHub() async throws {
        let folder = try TemporaryDirectory()
        let hub = TestHub(store: try ReplicaStore(path: folder.path("hub.sqlite")))
        let essaouira = try ReplicaNodeProcess()
        let tamanar = try ReplicaNodeProcess()
        try await hub.serve { url in
            try await essaouira.initialize(commune: "essaouira", hub: url.absoluteString)
            try await tamanar.initialize(commune: "tamanar", hub: url.absoluteString)
            let id = try await essaouira("proposal", "create", "--title", "تهيئة ساحة مولاي الحسن", "--body", "نص")
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            _ = try await tamanar("proposal", "create", "--title", "Nettoyage de la plage", "--body", "tri, sélectif")

            let first = try await essaouira("sync", "--batch-limit", "1")
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("digests match"))
            let second = try await tamanar("sync", "--json")
            let report = try JSONDecoder().decode(Report.self, from: Data(second.stdoutBytes))
            #expect(report.digestsMatch && report.pulled > 0 && report.pushed > 0)
            #expect(try await essaouira("sync").status == 0)

            _ = try await tamanar("support", "add", "--proposal", id, "--citizen", "c-0042")
            #expect(try await tamanar("sync").status == 0)
            #expect(try await essaouira("sync").status == 0)

            let status = try await essaouira("status", "--json")
            let shown = try JSONDecoder().decode(ShownStatus.self, from: Data(status.stdoutBytes))
            #expect(shown.hubReachable && shown.pendingChanges == 0 && shown.lastSyncAt != nil)
            #expect(shown.digestMatchedAtLastSync == true && shown.hubDigestMatchesNow == true)
        }
        let digests = try await [essaouira("digest").stdout, tamanar("digest").stdout]
        #expect(digests[0] == digests[1])
        #expect(digests[0] == (try hub.store.digest()) + "\n")
        #expect(try ReplicaStore(path: essaouira.database).proposals().map(\.supportCount).reduce(0, +) == 1)
    }

    @Test func sync_warnsWhenThisMachinesClockIsOff() async throws {
        let folder = try TemporaryDirectory()
        let hub = TestHub(store: try ReplicaStore(path: folder.path("hub.sqlite")), clockOffsetMillis: 10 * 60_000)
        let node = try ReplicaNodeProcess()
        let result = try await hub.serve { url in
            try await node.initialize(hub: url.absoluteString)
            return try await node("sync")
        }
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: this machine's clock is 10 min behind the hub's"), "\(result.stderr)")
    }

    @Test func sync_withARefusedCredentialExitsWithPermissionDenied() async throws {
        let folder = try TemporaryDirectory()
        let hub = TestHub(store: try ReplicaStore(path: folder.path("hub.sqlite")))
        let node = try ReplicaNodeProcess()
        let result = try await hub.serve { url in
            _ = try await node.run(
                ["init", "--commune", "ounagha", "--hub", url.absoluteString, "--token-stdin", "--db", node.database],
                input: "esw1.01936f0e-0000-7000-8000-000000000002.another-secret-0123456789\n"
            )
            return try await node("sync")
        }
        #expect(result.status == 77)
        #expect(result.stderr.contains("unknown credential"), "\(result.stderr)")
    }

    private struct Report: Decodable {
        var pushed: Int
        var pulled: Int
        var digestsMatch: Bool
    }
}
