import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SyncCore
import SyncTestSupport

@testable import HubServer

/// A hub on a real SQLite file in a temporary folder, and helpers to call its routes.
struct HubFixture {
    let folder: TemporaryDirectory
    let hub: ReplicaStore
    let metrics = HubMetrics()

    init() throws {
        folder = try TemporaryDirectory()
        hub = try ReplicaStore(path: folder.path("hub.sqlite"))
    }

    /// A replica database in the fixture's folder.
    func replica(_ name: String) throws -> ReplicaStore {
        try ReplicaStore(path: folder.path("\(name).sqlite"))
    }

    /// Enrolls a replica and returns its token.
    func enroll(_ commune: String) throws -> String {
        try hub.enroll(commune: commune, label: "\(commune) test replica").token
    }

    /// The hub's application, as `hub-server serve` builds it.
    func makeApp(
        maxBodyBytes: Int = HubConfiguration.defaultMaxBodyBytes,
        rateLimit: Int = HubConfiguration.defaultRateLimit,
        unauthenticatedRateLimit: Int = 60,
        idleTimeout: Duration = HubConfiguration.defaultIdleTimeout
    ) throws -> some ApplicationProtocol {
        var logger = Logger(label: "hub-server-tests")
        logger.logLevel = .critical
        var configuration = HubConfiguration(
            host: "127.0.0.1",
            port: 0,
            maxBodyBytes: maxBodyBytes,
            rateLimit: rateLimit,
            idleTimeout: idleTimeout
        )
        configuration.unauthenticatedRateLimit = unauthenticatedRateLimit
        return try buildApplication(
            configuration: configuration,
            store: hub,
            metrics: metrics,
            logger: logger
        )
    }
}

/// JSON helpers for requests and responses.
enum Wire {
    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(value))
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ response: TestResponse) throws -> Value {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    static func headers(token: String?, _ extra: HTTPFields = [:]) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers.append(contentsOf: extra)
        return headers
    }

    static func hello(for store: ReplicaStore, digest: String? = nil) throws -> HelloRequest {
        HelloRequest(
            replica: store.replicaID,
            previousIdentities: try store.previousIdentities(),
            vector: try store.vector(),
            digest: digest,
            schemaVersion: store.schema.version
        )
    }
}

extension TestClientProtocol {
    /// Posts a body to a route, with a bearer token when given.
    func post(
        _ uri: String,
        token: String?,
        body: ByteBuffer,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await executeRequest(uri: uri, method: .post, headers: Wire.headers(token: token, extra), body: body)
    }

    /// Posts a message as JSON.
    func post(_ uri: String, token: String?, json: some Encodable) async throws -> TestResponse {
        try await post(uri, token: token, body: try Wire.encode(json))
    }
}

/// The sync protocol over a Hummingbird test client: what a replica's HTTP transport does,
/// minus the network.
struct TestClientTransport: SyncTransport {
    let client: any TestClientProtocol
    let token: String

    func hello(_ request: HelloRequest) async throws -> HelloResponse {
        try await call("/v1/hello", request)
    }

    func pull(_ request: PullRequest) async throws -> ChangeBatch {
        try await call("/v1/pull", request)
    }

    func push(_ batch: ChangeBatch) async throws -> PushResponse {
        try await call("/v1/push", batch)
    }

    private func call<Answer: Decodable>(_ uri: String, _ body: some Encodable) async throws -> Answer {
        let response = try await client.post(uri, token: token, json: body)
        guard response.status == .ok else {
            let error = try Wire.decode(ErrorResponse.self, response)
            throw SyncError(.transport, "\(response.status.code) \(error.error.code): \(error.error.message)")
        }
        return try Wire.decode(Answer.self, response)
    }
}
