import Foundation
import Hummingbird
import Logging
import SyncCore
import SyncHTTP
import SyncTestSupport
import Testing

@testable import HubServer
@testable import ReplicaNode

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Replicas and hubs on different schema or protocol versions: refused with a clear "upgrade"
/// message, never a corruption.
@Suite struct MixedVersionTests {
    /// Version 2 of the schema: proposals gain a `district`.
    static let schemaV2: Schema = {
        let tables = Schema.participation.tables.map { table in
            guard table.name == "proposal" else { return table }
            return ReplicatedTable(
                "proposal",
                columns: table.columns + [ReplicatedColumn("district", .text, .lastWriterWins, maxBytes: 100)],
                tombstoneColumn: table.tombstoneColumn,
                indexedColumns: table.indexedColumns
            )
        }
        return Schema(version: 2, tables: tables)
    }()

    /// Serves the hub application over `store` on a free loopback port while `body` runs.
    static func serve<T: Sendable>(_ store: ReplicaStore, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = buildApplication(
            configuration: HubConfiguration(host: "127.0.0.1", port: 0),
            store: store,
            logger: Logger(label: "hub-v2", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { _, port in announce.yield(port ?? 0) }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var port = 0
            for await bound in ports {
                port = bound
                break
            }
            let result = try await body(URL(string: "http://127.0.0.1:\(port)")!)
            group.cancelAll()
            return result
        }
    }

    static func transport(_ hub: URL, token: String) -> HTTPSyncTransport<ContinuousClock> {
        HTTPSyncTransport(
            hub: hub,
            token: token,
            session: HTTPSyncTransport<ContinuousClock>.defaultClient,
            timeout: .seconds(5),
            retries: 0,
            clock: ContinuousClock()
        )
    }

    @Test func olderReplica_meetsNewerHub_isRefusedWithAnUpgradeMessage_andNothingCorrupts() async throws {
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub-v2.sqlite"), schema: Self.schemaV2)
        let (_, token) = try hub.enroll(commune: "essaouira", label: "office")
        let district = RecordID.make()
        try hub.write([
            RecordWrite(
                table: "proposal",
                record: district,
                values: [
                    "title": .text("Quartier"), "body": .text("b"), "commune": .text("essaouira"),
                    "district": .text("Médina"),
                ]
            )
        ])
        let replica = try ReplicaNodeProgram()
        let outcome = try await Self.serve(hub) { url in
            try await replica.initialize(commune: "essaouira", hub: url, token: token)
            let id = try await replica("proposal", "create", "--title", "مقترح", "--body", "b").trimmedOutput
            let before = try await replica.digest()
            let sync = try await replica("sync")
            return (id, before, sync)
        }
        #expect(outcome.2.status == 76, "\(outcome.2.stderr)")
        #expect(outcome.2.stderr.contains("upgrade this replica"), "\(outcome.2.stderr)")
        #expect(try await replica.digest() == outcome.1)
        #expect(try await Programs.integrityCheck(replica.database, folder: replica.folder) == "ok")
        #expect(
            try hub.fieldState(table: "proposal", record: outcome.0, column: "title").winner?.value == .text("مقترح")
        )
        #expect(
            try hub.fieldState(table: "proposal", record: district, column: "district").winner?.value == .text("Médina")
        )
        Reliability.record(
            "mixed-schema",
            [("replicaSchema", 1), ("hubSchema", 2), ("exit", outcome.2.status), ("corrupted", 0)]
        )
    }

    @Test func newerReplica_meetsOlderHub_isRefusedBeforeAnythingMoves() async throws {
        let hub = try HubServerProcess()
        let token = try await hub.enroll(commune: "ounagha")
        let url = try await hub.start()
        let emptyDigest = try await hub.digest()
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("v2.sqlite"), schema: Self.schemaV2)
        _ = try store.createProposal(ProposalDraft(title: "t", body: "b", commune: "ounagha"))
        let client = SyncClient(store: store, transport: Self.transport(url, token: token))
        let error = await #expect(throws: SyncError.self) { try await client.synchronize() }
        #expect(
            error?.code == .schemaMismatch && error?.message.contains("upgrade the hub") == true,
            "\(String(describing: error))"
        )
        #expect(try await hub.digest() == emptyDigest)

        let hello = HelloRequest(
            replica: store.replicaID,
            vector: try store.vector(),
            schemaVersion: 1,
            protocolVersion: 2
        )
        let refused = await #expect(throws: SyncError.self) { try await Self.transport(url, token: token).hello(hello) }
        #expect(refused?.code == .protocolMismatch && refused?.message.contains("upgrade replica-node") == true)
        var request = URLRequest(url: url.appendingPathComponent("v1/hello"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.httpBody = try JSONEncoder().encode(hello)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 426)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Upgrade") == "essaouira-sync/1")
        try await hub.stop()
        Reliability.record(
            "mixed-protocol",
            [("replicaSchema", 2), ("hubSchema", 1), ("protocol", "2 vs 1"), ("applied", 0)]
        )
    }
}
