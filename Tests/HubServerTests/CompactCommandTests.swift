import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// Runs `hub-server compact` as the real binary on a temporary SQLite hub.
@Suite struct CompactCommandTests {
    @Test func compact_onASQLiteHub_removesSupersededEntries_andKeepsTheDigest() async throws {
        let folder = try TemporaryDirectory()
        let database = folder.path("hub.sqlite")
        do {
            let source = try ReplicaStore(path: folder.path("commune.sqlite"))
            let hub = try ReplicaStore(path: database)
            // The hub pulls after every write, so it logs each edit before the next supersedes it.
            for index in 0..<3 {
                let id = try source.createProposal(ProposalDraft(title: "P\(index)", body: "نص", commune: "ounagha"))
                try hub.apply(try source.changes(since: try hub.vector(), limit: 100))
                for edit in ["١", "٢"] {
                    try source.editProposal(id, ProposalEdit(title: "P\(index) \(edit)"))
                    try hub.apply(try source.changes(since: try hub.vector(), limit: 100))
                }
            }
        }
        let hubServer = Programs.product("hub-server")
        let digest = try await Programs.run(hubServer, ["digest", "--db", database], folder: folder).trimmedOutput

        let result = try await Programs.run(
            hubServer,
            ["compact", "--db", database, "--keep-days", "0", "--vacuum"],
            folder: folder
        )

        #expect(result.status == 0, "\(result.stderr)")
        // Each proposal's first edit was superseded whole by its second.
        #expect(result.stdout.hasPrefix("removed 3 superseded change-log entries"), "\(result.stdout)")
        let after = try await Programs.run(hubServer, ["digest", "--db", database], folder: folder).trimmedOutput
        #expect(after == digest)
    }

    @Test(arguments: [
        (["compact", "--db", "hub.sqlite", "--keep-days", "-3"], "--keep-days"),
        (["compact", "--db", "missing.sqlite"], "no hub database"),
        (["compact", "--postgres", "postgres://hub@127.0.0.1:9/hub", "--vacuum"], "--vacuum is for a SQLite hub"),
    ])
    func compact_refusesBadArgumentsSayingWhy(_ arguments: [String], message: String) async throws {
        let folder = try TemporaryDirectory()
        let result = try await Programs.run(Programs.product("hub-server"), arguments, folder: folder)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("missing.sqlite")))
    }
}
