import Foundation
import SyncCore
import SyncTestSupport
import Testing

/// Communes are data: one added at the hub is enrolled, synced and used at its office with no
/// new build, and reaches the other replicas.
@Suite struct TerritoryTests {
    @Test func communeAddedAtTheHub_isEnrolledSyncedAndUsedAtItsOffice_withNoRebuild() async throws {
        let hub = try HubServerProcess()
        let refused = try await hub.run(["enroll", "--commune", "hanchane"])
        #expect(!refused.succeeded && refused.stderr.contains("unknown commune"), "\(refused.stderr)")
        let added = try await hub.run([
            "commune", "add", "--code", "hanchane", "--province", "essaouira-province",
            "--ar", "حنشان", "--fr", "Hanchane", "--zgh", "ⵃⴰⵏⵛⴰⵏ",
        ])
        #expect(added.succeeded, "\(added.stderr)")
        let token = try await hub.enroll(commune: "hanchane")
        let otherToken = try await hub.enroll(commune: "tamanar")
        let url = try await hub.start()

        // A new machine knows only the seed: init learns the commune from the hub.
        let office = try ReplicaNodeProgram()
        try await office.initialize(commune: "hanchane", hub: url, token: token)
        let id = try await office(
            "proposal",
            "create",
            "--title",
            "ماء الشرب",
            "--body",
            "b",
            "--place",
            "Douar Zaouia"
        )
        .trimmedOutput
        let sync = try await office("sync")
        #expect(sync.succeeded, "\(sync.stderr)")
        let shown = try await office("proposal", "show", id)
        #expect(shown.stdout.contains("hanchane") && shown.stdout.contains("Douar Zaouia"), "\(shown.stdout)")

        // A rename at the hub reaches the other communes' replicas with their next sync.
        let renamed = try await hub.run(["commune", "rename", "hanchane", "--fr", "Hanchane (centre)"])
        #expect(renamed.succeeded, "\(renamed.stderr)")
        let other = try ReplicaNodeProgram()
        try await other.initialize(commune: "tamanar", hub: url, token: otherToken)
        #expect(try await other("sync").succeeded)
        try await hub.stop()
        let store = try ReplicaStore(path: other.database)
        #expect(try store.commune("hanchane")?.names.french == "Hanchane (centre)")
        #expect(try store.commune("hanchane")?.names.tamazight == "ⵃⴰⵏⵛⴰⵏ")
        #expect(try store.proposal(id)?.commune == "hanchane")
        let listed = try await hub.run(["commune", "list", "--json"])
        #expect(listed.stdout.contains("hanchane") && listed.stdout.contains("tamanar"))
        #expect(try await other.digest() == (try await hub.digest()))
    }

    @Test func unknownCommune_isRefusedByInitProposalsAndEvents() throws {
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("r.sqlite"))
        #expect(throws: SyncError.self) {
            try store.createProposal(ProposalDraft(title: "t", body: "b", commune: "agadir"))
        }
        #expect(throws: SyncError.self) {
            try store.createEvent(EventDraft(title: "t", kind: "workshop", date: "2026-12-01", commune: "agadir"))
        }
        let old = try ReplicaStore(path: folder.path("v1.sqlite"), schema: Schema.participation.atVersion(1))
        #expect(try old.communes().map(\.id) == ["essaouira", "ounagha", "tamanar"])
        let error = #expect(throws: SyncError.self) {
            try old.addCommune(
                Commune(id: "agadir", province: "agadir-province", names: CommuneNames(french: "Agadir"))
            )
        }
        #expect(error?.code == .schemaMismatch)
    }
}
