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

/// Replicas and hubs on different schema versions keep syncing, each keeping what it does not
/// know of the other's changes; another protocol version is refused with a clear message.
@Suite struct MixedVersionTests {
    /// Version 1 of the participation schema, as a replica that has not upgraded holds it.
    static let schemaV1 = Schema.participation.atVersion(1)
    /// The environment that makes a program speak schema version 1.
    static let version1 = [Schema.versionVariable: "1"]

    /// Serves the hub application over `store` on a free loopback port while `body` runs.
    static func serve<T: Sendable>(_ store: ReplicaStore, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let app = try buildApplication(
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

    @Test func olderReplicaProcess_pullsFromNewerHub_keepsWhatItDoesNotKnow_untilItUpgrades() async throws {
        let folder = try TemporaryDirectory()
        let hub = try ReplicaStore(path: folder.path("hub-v2.sqlite"))
        let (_, token) = try hub.enroll(commune: "essaouira", label: "office")
        let placed = try hub.createProposal(
            ProposalDraft(title: "Quartier", body: "b", commune: "essaouira", place: "Douar Ouled Bouzid")
        )
        let replica = try ReplicaNodeProgram(environment: Self.version1)
        let outcome = try await Self.serve(hub) { url in
            try await replica.initialize(commune: "essaouira", hub: url, token: token)
            let id = try await replica("proposal", "create", "--title", "مقترح", "--body", "b").trimmedOutput
            let sync = try await replica("sync", "--json")
            return (id, sync)
        }
        #expect(outcome.1.status == 0, "\(outcome.1.stderr)")
        let report = try JSONDecoder().decode(SyncReport.self, from: Data(outcome.1.stdoutBytes))
        #expect(report.digestsMatch && report.comparedSchemaVersion == 1, "\(report)")
        #expect(try await Programs.integrityCheck(replica.database, folder: replica.folder) == "ok")
        #expect(try hub.proposal(outcome.0)?.title == "مقترح")
        // The version-1 replica keeps the place it cannot show, so its upgrade needs no sync.
        let keptBefore = try ReplicaStore(path: replica.database, schema: Self.schemaV1).keptFieldCount()
        #expect(keptBefore == 1)
        let upgraded = ReplicaNodeProgram(database: replica.database, folder: replica.folder)
        #expect(try await upgraded.digest() == (try hub.digest()))
        let store = try ReplicaStore(path: replica.database)
        #expect(try store.proposal(placed)?.place == "Douar Ouled Bouzid")
        #expect(try store.keptFieldCount() == 0)
        Reliability.record("mixed-schema", [("replicaSchema", 1), ("hubSchema", 2), ("kept", keptBefore)])
    }

    @Test func newerReplica_pushesToOlderHubProcess_andTheHubKeepsItsNewFields() async throws {
        let hub = try HubServerProcess(environment: Self.version1)
        let token = try await hub.enroll(commune: "ounagha")
        let url = try await hub.start()
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("v2.sqlite"))
        _ = try store.createProposal(ProposalDraft(title: "t", body: "b", commune: "ounagha", place: "Ida Ou Gourd"))
        let client = SyncClient(store: store, transport: Self.transport(url, token: token))
        let report = try await client.synchronize()
        #expect(report.pushed == 1 && report.digestsMatch && report.comparedSchemaVersion == 1, "\(report)")
        try await hub.stop()
        let held = try ReplicaStore(path: hub.database, schema: Self.schemaV1)
        #expect(try held.keptFieldCount() == 1)
        #expect(try held.digest() == (try store.digest(schemaVersion: 1)))
    }

    @Test func otherProtocolVersion_isRefusedWithAnUpgradeMessage() async throws {
        let hub = try HubServerProcess()
        let token = try await hub.enroll(commune: "ounagha")
        let url = try await hub.start()
        let folder = try TemporaryDirectory()
        let store = try ReplicaStore(path: folder.path("replica.sqlite"))
        let hello = HelloRequest(
            replica: store.replicaID,
            vector: try store.vector(),
            schemaVersion: 2,
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
