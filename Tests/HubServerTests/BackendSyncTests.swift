import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresHub
import SyncCore
import SyncTestSupport
import Testing

@testable import HubServer

/// Where a test hub keeps its state.
enum HubBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The backends this run covers: PostgreSQL when a server is named or required.
    static var covered: [HubBackend] { PostgresTestServer.shouldRun ? [.sqlite, .postgres] : [.sqlite] }
}

/// The hub's sync routes against each store backend: the same exchanges, refusals and digests
/// whether the hub keeps its state in SQLite or in PostgreSQL.
@Suite struct BackendSyncTests {
    /// Runs `body` with a fresh hub store of `backend` and a way to enroll replicas on it.
    private func withHub(
        _ backend: HubBackend,
        folder: TemporaryDirectory,
        _ body: @Sendable (any HubStore, _ enroll: @Sendable (String) async throws -> String) async throws -> Void
    ) async throws {
        switch backend {
        case .sqlite:
            let hub = try ReplicaStore(path: folder.path("hub.sqlite"))
            try await body(hub) { commune in try hub.enroll(commune: commune, label: commune).token }
        case .postgres:
            let url = try PostgresURL(try await PostgresTestServer.makeDatabase(folder: folder))
            let logger = Logger(label: "pg-tests", factory: { _ in SwiftLogNoOpLogHandler() })
            try await DatabaseOptions.withPostgres(url, logger: logger) { hub in
                try await body(hub) { commune in try await hub.enroll(commune: commune, label: commune).token }
            }
        }
    }

    private func makeApp(_ store: some HubStore) throws -> some ApplicationProtocol {
        var logger = Logger(label: "hub-server-tests")
        logger.logLevel = .critical
        return try buildApplication(
            configuration: HubConfiguration(host: "127.0.0.1", port: 0),
            store: store,
            logger: logger
        )
    }

    @Test(
        .enabled(
            if: PostgresTestServer.shouldRun,
            "PostgreSQL backend not tested: HUB_TEST_POSTGRES_URL is not set; run make test or scripts/with-postgres.sh"
        )
    )
    func postgresBackend_serverAnswers() async throws {
        let folder = try TemporaryDirectory()
        try await withHub(.postgres, folder: folder) { hub, _ in
            let vector = try await hub.vector()
            #expect(vector == VersionVector())
        }
    }

    @Test(arguments: HubBackend.covered)
    func exchange_threeCommunesWithConflicts_convergeToOneDigest(backend: HubBackend) async throws {
        let folder = try TemporaryDirectory()
        let replicas = try ["essaouira", "ounagha", "tamanar"].map {
            try ReplicaStore(path: folder.path("\($0).sqlite"))
        }
        let square = try replicas[0].createProposal(
            ProposalDraft(title: "تهيئة ساحة المدينة", body: "نص", category: "urbanisme", commune: "essaouira")
        )
        try replicas[0].addSupport(proposal: square, citizen: "citizen-1")
        _ = try replicas[1].createProposal(ProposalDraft(title: "Puits du douar", body: "ⵜⴰⵎⴰⵣⵉⵖⵜ", commune: "ounagha"))
        try await withHub(backend, folder: folder) { hub, enroll in
            let tokens = [try await enroll("essaouira"), try await enroll("ounagha"), try await enroll("tamanar")]
            try await makeApp(hub).test(.router) { client in
                func sync(_ index: Int) async throws -> SyncReport {
                    let transport = TestClientTransport(client: client, token: tokens[index])
                    return try await SyncClient(store: replicas[index], transport: transport, batchLimit: 2)
                        .synchronize()
                }
                for index in replicas.indices { _ = try await sync(index) }
                for index in replicas.indices { _ = try await sync(index) }
                // Concurrent edits of one title: a conflict every replica must hold identically.
                for (index, replica) in replicas.enumerated() {
                    try replica.editProposal(square, ProposalEdit(title: "عنوان \(index)"))
                    try replica.addSupport(proposal: square, citizen: "citizen-\(index + 2)")
                }
                for index in replicas.indices { _ = try await sync(index) }
                var last: SyncReport?
                for index in replicas.indices { last = try await sync(index) }
                #expect(last?.digestsMatch == true)
            }
            let digest = try await hub.digest()
            for replica in replicas {
                #expect(try replica.digest() == digest)
                #expect(try replica.supportCount(proposal: square) == 4)
                #expect(try replica.recomputedDigest() == digest)
            }
            #expect(try replicas[2].proposal(square)?.conflictingFields == ["title"])
        }
    }

    @Test(arguments: HubBackend.covered)
    func push_sameBatchTwice_appliesOnce(backend: HubBackend) async throws {
        let folder = try TemporaryDirectory()
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        for index in 0..<5 {
            _ = try laptop.createProposal(ProposalDraft(title: "Atelier \(index)", body: "…", commune: "tamanar"))
        }
        let batch = try laptop.changes(since: VersionVector(), limit: 100)
        try await withHub(backend, folder: folder) { hub, enroll in
            let token = try await enroll("tamanar")
            try await makeApp(hub).test(.router) { client in
                let first = try Wire.decode(
                    PushResponse.self,
                    try await client.post("/v1/push", token: token, json: batch)
                )
                let second = try Wire.decode(
                    PushResponse.self,
                    try await client.post("/v1/push", token: token, json: batch)
                )
                #expect(first.applied == 5 && first.ignored == 0)
                #expect(second.applied == 0 && second.ignored == 5)
                #expect(second.vector == first.vector)
                #expect(first.vector[laptop.replicaID] == 5)
            }
            #expect(try await hub.digest() == (try laptop.digest()))
        }
    }

    @Test(arguments: HubBackend.covered)
    func pull_boundedBatches_resumeFromCoveredRanges(backend: HubBackend) async throws {
        let folder = try TemporaryDirectory()
        let source = try ReplicaStore(path: folder.path("source.sqlite"))
        for index in 0..<9 {
            _ = try source.createProposal(ProposalDraft(title: "Proposition \(index)", body: "…", commune: "essaouira"))
        }
        // Superseded writes leave gaps in the log that covered ranges step over.
        let first = try source.proposals()[0].id
        try source.editProposal(first, ProposalEdit(title: "Nouveau titre"))
        try source.editProposal(first, ProposalEdit(title: "Titre final"))
        let target = try ReplicaStore(path: folder.path("target.sqlite"))
        try await withHub(backend, folder: folder) { hub, enroll in
            _ = try await hub.apply(try source.changes(since: VersionVector(), limit: 1_000))
            let token = try await enroll("essaouira")
            try await makeApp(hub).test(.router) { client in
                var batches = 0
                var batch: ChangeBatch
                repeat {
                    let response = try await client.post(
                        "/v1/pull",
                        token: token,
                        json: PullRequest(vector: try target.vector(), limit: 4)
                    )
                    #expect(response.status == .ok)
                    batch = try Wire.decode(ChangeBatch.self, response)
                    #expect(batch.changes.count <= 4)
                    try target.apply(batch)
                    batches += 1
                } while !batch.isComplete && batches < 50
                #expect(batches > 1)
            }
            #expect(try target.digest() == (try await hub.digest()))
            #expect(try target.vector() == (try await hub.vector()))
            #expect(try await hub.vector() == (try source.vector()))
        }
    }

    @Test(arguments: HubBackend.covered)
    func push_forgedOrigin_is403_andAppliesNothing(backend: HubBackend) async throws {
        let folder = try TemporaryDirectory()
        let tamanar = try ReplicaStore(path: folder.path("tamanar.sqlite"))
        _ = try tamanar.createProposal(ProposalDraft(title: "Atelier", body: "…", commune: "tamanar"))
        let batch = try tamanar.changes(since: VersionVector(), limit: 100)
        try await withHub(backend, folder: folder) { hub, enroll in
            let (tamanarToken, ounaghaToken) = (try await enroll("tamanar"), try await enroll("ounagha"))
            try await makeApp(hub).test(.router) { client in
                let hello = try Wire.hello(for: tamanar)
                #expect(try await client.post("/v1/hello", token: tamanarToken, json: hello).status == .ok)
                let before = try await hub.digest()
                let forged = try await client.post("/v1/push", token: ounaghaToken, json: batch)
                #expect(forged.status == .forbidden)
                #expect(try Wire.decode(ErrorResponse.self, forged).error.message.contains(tamanar.replicaID.rawValue))
                #expect(try await hub.digest() == before)
                #expect(try await hub.vector() == VersionVector())
            }
        }
    }

    @Test(arguments: HubBackend.covered)
    func push_invalidChangeInBatch_isRefusedWhole(backend: HubBackend) async throws {
        let folder = try TemporaryDirectory()
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        for index in 0..<3 {
            _ = try laptop.createProposal(ProposalDraft(title: "Atelier \(index)", body: "…", commune: "tamanar"))
        }
        var batch = try laptop.changes(since: VersionVector(), limit: 100)
        batch.changes[2].fields["no_such_field"] = FieldChange(value: .text("x"))
        let hostile = batch
        try await withHub(backend, folder: folder) { hub, enroll in
            let token = try await enroll("tamanar")
            try await makeApp(hub).test(.router) { client in
                let response = try await client.post("/v1/push", token: token, json: hostile)
                #expect(response.status == .unprocessableContent || response.status == .badRequest)
                let message = try Wire.decode(ErrorResponse.self, response).error.message
                #expect(message.contains("change 2") && message.contains("no_such_field"))
            }
            #expect(try await hub.vector() == VersionVector())
            #expect(try await hub.digest() == (try ReplicaStore(path: folder.path("empty.sqlite")).digest()))
        }
    }

    @Test(arguments: HubBackend.covered)
    func revokedCredential_is401(backend: HubBackend) async throws {
        let folder = try TemporaryDirectory()
        let laptop = try ReplicaStore(path: folder.path("laptop.sqlite"))
        try await withHub(backend, folder: folder) { hub, enroll in
            let token = try await enroll("ounagha")
            let id = try #require(Credential.enrollmentID(in: token))
            switch hub {
            case let sqlite as ReplicaStore: try sqlite.revoke(enrollment: id)
            case let postgres as PostgresHubStore: try await postgres.revoke(enrollment: id)
            default: Issue.record("unknown store")
            }
            try await makeApp(hub).test(.router) { client in
                let response = try await client.post("/v1/hello", token: token, json: try Wire.hello(for: laptop))
                #expect(response.status == .unauthorized)
                #expect(try Wire.decode(ErrorResponse.self, response).error.message.contains("revoked"))
            }
        }
    }
}
