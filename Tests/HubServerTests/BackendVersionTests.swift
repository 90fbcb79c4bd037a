import Foundation
import Logging
import PostgresHub
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// Mixed schema versions against each hub backend: a hub on version 2 serving a replica on
/// version 1, and a hub database of version 1 that keeps version-2 fields until its program is
/// upgraded.
@Suite struct BackendVersionTests {
    static let version1 = Schema.participation.atVersion(1)

    private func withHub(
        _ backend: HubBackend,
        schema: Schema,
        folder: TemporaryDirectory,
        postgres: String?,
        _ body: @Sendable (any SyncStore) async throws -> Void
    ) async throws {
        switch backend {
        case .sqlite:
            try await body(try ReplicaStore(path: folder.path("hub.sqlite"), schema: schema))
        case .postgres:
            let logger = Logger(label: "pg-tests", factory: { _ in SwiftLogNoOpLogHandler() })
            try await DatabaseOptions.withPostgres(try PostgresURL(postgres!), logger: logger, schema: schema) { hub in
                try await body(hub)
            }
        }
    }

    @Test(arguments: HubBackend.covered)
    func hubOnVersion2_servesAReplicaOnVersion1_whichKeepsTheNewFields(backend: HubBackend) async throws {
        let folder = try TemporaryDirectory()
        let postgres = backend == .postgres ? try await PostgresTestServer.makeDatabase(folder: folder) : nil
        let writer = try ReplicaStore(path: folder.path("writer.sqlite"))
        let id = try writer.createProposal(ProposalDraft(title: "t", body: "b", commune: "tamanar", place: "Douar"))
        try writer.editEvent(
            try writer.createEvent(EventDraft(title: "e", kind: "workshop", date: "2026-12-01", commune: "tamanar")),
            EventDraft(capacity: 25)
        )
        try writer.addCommune(
            Commune(id: "smimou", province: "essaouira-province", names: CommuneNames(french: "Smimou"))
        )
        let old = try ReplicaStore(path: folder.path("old.sqlite"), schema: Self.version1)
        _ = try old.createProposal(ProposalDraft(title: "ancien", body: "b", commune: "tamanar"))
        try await withHub(backend, schema: .participation, folder: folder, postgres: postgres) { hub in
            let server = SyncServer(store: hub)
            let pushed = try await SyncClient(store: writer, transport: InMemoryTransport(server: server)).synchronize()
            #expect(pushed.digestsMatch)
            let report = try await SyncClient(store: old, transport: InMemoryTransport(server: server)).synchronize()
            #expect(report.digestsMatch && report.comparedSchemaVersion == 1, "\(report)")
            #expect(try old.keptFieldCount() > 0)
            let heldV1 = try old.digest()
            #expect(try await hub.digest(schemaVersion: 1) == heldV1)
            let again = try await SyncClient(store: writer, transport: InMemoryTransport(server: server)).synchronize()
            #expect(again.digestsMatch && again.pulled == 1)
            let written = try writer.digest()
            #expect(try await hub.digest() == written)
        }
        let upgraded = try ReplicaStore(path: folder.path("old.sqlite"))
        #expect(try upgraded.digest() == (try writer.digest()))
        #expect(try upgraded.proposal(id)?.place == "Douar")
        #expect(try upgraded.commune("smimou")?.names.french == "Smimou")
    }

    @Test(arguments: HubBackend.covered)
    func hubDatabaseOnVersion1_keepsNewFields_andMergesThemWhenItsProgramUpgrades(backend: HubBackend) async throws {
        let folder = try TemporaryDirectory()
        let postgres = backend == .postgres ? try await PostgresTestServer.makeDatabase(folder: folder) : nil
        let writer = try ReplicaStore(path: folder.path("writer.sqlite"))
        _ = try writer.createProposal(ProposalDraft(title: "t", body: "b", commune: "tamanar", place: "Douar"))
        try writer.addCommune(
            Commune(id: "smimou", province: "essaouira-province", names: CommuneNames(french: "Smimou"))
        )
        try await withHub(backend, schema: Self.version1, folder: folder, postgres: postgres) { hub in
            let report = try await SyncClient(
                store: writer,
                transport: InMemoryTransport(server: SyncServer(store: hub))
            )
            .synchronize()
            #expect(report.digestsMatch && report.comparedSchemaVersion == 1 && report.pushed == 2, "\(report)")
            let sent = try writer.digest(schemaVersion: 1)
            #expect(try await hub.digest() == sent)
            // Its pulls pass the kept fields on.
            let relayed = try await hub.changes(since: VersionVector(), limit: 100)
            #expect(
                relayed.changes.contains {
                    $0.table == "commune" && $0.fields["name_fr"] == FieldChange(value: .text("Smimou"))
                }
            )
            #expect(relayed.changes.contains { $0.fields["place"]?.value == .text("Douar") })
        }
        try await withHub(backend, schema: .participation, folder: folder, postgres: postgres) { hub in
            let latest = try writer.digest()
            #expect(try await hub.digest() == latest)
        }
        let refused = await #expect(throws: SyncError.self) {
            try await withHub(backend, schema: Self.version1, folder: folder, postgres: postgres) { _ in }
        }
        #expect(refused?.code == .schemaMismatch, "\(String(describing: refused))")
    }
}
