import Foundation
import Logging
import PostgresHub
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// The change log's collection on both backends: fed the same changes, a SQLite hub and a
/// PostgreSQL hub remove the same entries, keep their digests, and still give a new replica
/// everything.
@Suite(
    .enabled(
        if: PostgresTestServer.shouldRun,
        "PostgreSQL collection not tested: HUB_TEST_POSTGRES_URL is not set; run make test or scripts/with-postgres.sh"
    )
)
struct CompactBackendTests {
    /// The hub pulls everything a source has that it lacks.
    private func feed(_ hub: some SyncStore, from source: ReplicaStore) async throws {
        while true {
            let batch = try source.changes(since: try await hub.vector(), limit: 100)
            _ = try await hub.apply(batch)
            if batch.isComplete { return }
        }
    }

    @Test func postgresAndSQLiteHubs_collectTheSameEntries_andKeepTheirDigests() async throws {
        let folder = try TemporaryDirectory()
        let url = try await PostgresTestServer.makeDatabase(folder: folder)
        let logger = Logger(label: "pg-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        let north = try ReplicaStore(path: folder.path("essaouira.sqlite"))
        let south = try ReplicaStore(path: folder.path("ounagha.sqlite"))
        let sqliteHub = try ReplicaStore(path: folder.path("hub.sqlite"))
        try await DatabaseOptions.withPostgres(try PostgresURL(url), logger: logger) { postgresHub in
            let hubs: [any SyncStore] = [sqliteHub, postgresHub]
            // Each edit reaches the hubs before the next supersedes it, so they log every one.
            var ids: [String] = []
            for index in 0..<3 {
                let id = try north.createProposal(ProposalDraft(title: "P\(index)", body: "نص", commune: "essaouira"))
                ids.append(id)
                for hub in hubs { try await feed(hub, from: north) }
                for edit in ["١", "٢"] {
                    try north.editProposal(id, ProposalEdit(title: "P\(index) \(edit)"))
                    for hub in hubs { try await feed(hub, from: north) }
                }
            }
            // Two concurrent titles of one proposal: both stay, and so do their entries.
            try south.apply(try sqliteHub.changes(since: try south.vector(), limit: 100))
            try north.editProposal(ids[0], ProposalEdit(title: "عنوان الصويرة"))
            try south.editProposal(ids[0], ProposalEdit(title: "Titre d'Ounagha"))
            try south.addSupport(proposal: ids[1], citizen: "citizen-7")
            for hub in hubs {
                try await feed(hub, from: north)
                try await feed(hub, from: south)
            }
            // Later writes of both origins to another field: their title entries are then no
            // longer their newest for the record, and only the kept values hold them.
            try north.editProposal(ids[0], ProposalEdit(body: "نص جديد"))
            try south.editProposal(ids[0], ProposalEdit(body: "Nouveau texte"))
            for hub in hubs {
                try await feed(hub, from: north)
                try await feed(hub, from: south)
            }
            let digest = try sqliteHub.digest()
            #expect(try await postgresHub.digest() == digest)
            try await Task.sleep(for: .milliseconds(5))

            let onSQLite = try sqliteHub.compact(keepDays: 0, vacuum: false)
            let onPostgres = try await postgresHub.compact(keepDays: 0)

            // The first edit of each proposal was superseded whole by the second; the title edits
            // superseded by the concurrent pair go too.
            #expect(onSQLite.entriesRemoved > 0)
            #expect(onPostgres.entriesRemoved == onSQLite.entriesRemoved)
            #expect(onPostgres.recordsExamined == onSQLite.recordsExamined)
            let kept = try await Programs.query(
                folder.path("hub.sqlite"),
                "SELECT origin || ':' || seq FROM crdt_log;",
                folder: folder
            )
            let keptOnPostgres = try await PostgresTestServer.query(
                url,
                "SELECT origin || ':' || seq FROM hub_log",
                folder: folder
            )
            #expect(Set(kept.split(separator: "\n")) == Set(keptOnPostgres.split(separator: "\n")))
            #expect(try sqliteHub.digest() == digest)
            #expect(try await postgresHub.digest() == digest)

            // A new replica gets everything from the compacted hub, conflict included.
            let newcomer = try ReplicaStore(path: folder.path("tamanar.sqlite"))
            while true {
                let batch = try await postgresHub.changes(since: try newcomer.vector(), limit: 2)
                try newcomer.apply(batch)
                if batch.isComplete { break }
            }
            #expect(try newcomer.digest() == digest)
            #expect(try newcomer.conflicts().count == 2, "the title and the body each keep two values")
            // A second run finds nothing more.
            #expect(try await postgresHub.compact(keepDays: 0).entriesRemoved == 0)
        }
    }
}
