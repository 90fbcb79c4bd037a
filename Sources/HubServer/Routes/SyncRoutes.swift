import Hummingbird
import Logging
import Prometheus
import SyncCore

/// The versioned sync endpoints: `POST /v1/hello`, `POST /v1/pull` and `POST /v1/push`.
///
/// The routes are written against ``SyncServer`` (which serves any ``SyncStore``) and
/// ``EnrollmentRegistry``, never against SQLite, so another storage backend plugs in without
/// touching them. Store calls are short blocking SQLite transactions, made directly from the
/// handler. Docs/PROTOCOL.md describes the messages.
struct SyncRoutes: Sendable {
    /// The most identities a hello may present (the current one and earlier ones).
    static let maxPresentedIdentities = 64
    /// The latest wall clock a hello may state: the last millisecond of the year 9999.
    static let latestClockMillis: Int64 = 253_402_300_799_999

    /// The exchange logic over the hub's store.
    let server: SyncServer
    /// The credentials and commune bindings.
    let registry: any EnrollmentRegistry
    /// Where applied and pulled changes are counted.
    let metrics: HubMetrics
    /// The largest request body, in bytes, after decompression.
    let maxBodyBytes: Int

    /// Adds the routes to a group that authenticates its requests.
    ///
    /// - Parameter group: The `/v1` group, behind ``BearerAuthMiddleware``.
    func addRoutes(to group: RouterGroup<HubRequestContext>) {
        group.post("hello") { request, context in try await hello(request, context: context) }
        group.post("pull") { request, context in try await pull(request, context: context) }
        group.post("push") { request, context in try await push(request, context: context) }
    }

    // MARK: - Handlers

    /// Answers a hello, binds the identities the replica presents and records its vector.
    func hello(_ request: Request, context: HubRequestContext) async throws -> Response {
        let enrollment = try context.requireEnrollment()
        let hello = try await JSONBody.decode(
            HelloRequest.self,
            from: request,
            limit: maxBodyBytes,
            code: .invalidArgument
        )
        let identities = [hello.replica] + hello.previousIdentities
        guard identities.count <= Self.maxPresentedIdentities else {
            throw SyncError(.tooLarge, "a hello presents at most \(Self.maxPresentedIdentities) identities")
        }
        if let time = hello.time, !(0...Self.latestClockMillis).contains(time) {
            throw SyncError(
                .invalidArgument,
                "the hello's time must be Unix milliseconds from 1970 to 9999; fix this machine's clock"
            )
        }
        try refuseHubIdentity(in: identities, what: "replica presents the hub's own identity")
        var response = try server.hello(hello)
        try registry.bind(origins: identities, to: enrollment)
        response.foreignOrigins = try registry.foreignOrigins(for: enrollment)
        let matched = hello.digest.map { $0 == response.digest }
        try registry.recordExchange(
            enrollment: enrollment.id,
            vector: hello.vector,
            digestMatched: matched,
            clockOffsetMillis: hello.time.map { $0 - response.serverTime }
        )
        context.logger.info(
            "hello",
            metadata: [
                "replica": .string(hello.replica.rawValue),
                "schema": .stringConvertible(hello.schemaVersion),
                "digest_matched": .string(matched.map { String($0) } ?? "not sent"),
            ]
        )
        return try JSONBody.response(response, for: request)
    }

    /// Answers a pull with a bounded batch of what the replica lacks.
    func pull(_ request: Request, context: HubRequestContext) async throws -> Response {
        _ = try context.requireEnrollment()
        let pull = try await JSONBody.decode(
            PullRequest.self,
            from: request,
            limit: maxBodyBytes,
            code: .invalidArgument
        )
        let batch = try server.pull(pull)
        metrics.changesPulled.increment(by: Int64(batch.changes.count))
        context.logger.debug(
            "pull",
            metadata: [
                "changes": .stringConvertible(batch.changes.count),
                "complete": .stringConvertible(batch.isComplete),
            ]
        )
        return JSONBody.response(batch, for: request)
    }

    /// Checks that a pushed batch comes from the pusher's commune, then applies it whole.
    func push(_ request: Request, context: HubRequestContext) async throws -> Response {
        let enrollment = try context.requireEnrollment()
        let batch = try await JSONBody.decodeBatch(from: request, limit: maxBodyBytes)
        guard batch.changes.count <= SyncServer.maxBatchLimit else {
            throw SyncError(
                .tooLarge,
                "a batch holds at most \(SyncServer.maxBatchLimit) changes (got \(batch.changes.count))"
            )
        }
        try refuseHubIdentity(
            in: batch.changes.map(\.origin) + batch.covered.map(\.origin),
            what: "batch carries changes of the hub's own origin"
        )
        try registry.authorize(batch, from: enrollment)
        let response = try server.push(batch)
        metrics.changesApplied.increment(by: Int64(response.applied))
        metrics.changesIgnored.increment(by: Int64(response.ignored))
        context.logger.info(
            "push",
            metadata: [
                "changes": .stringConvertible(batch.changes.count),
                "applied": .stringConvertible(response.applied),
                "ignored": .stringConvertible(response.ignored),
            ]
        )
        return try JSONBody.response(response, for: request)
    }

    // MARK: - Checks

    /// Refuses the hub's own identity from a replica: only a copy of the hub's database could
    /// present it, and changes under it would be taken for the hub's own writes.
    private func refuseHubIdentity(in origins: [ReplicaID], what: String) throws {
        let hubIdentities = [server.store.replicaID] + (server.store.previousReplicaID.map { [$0] } ?? [])
        guard let found = origins.first(where: hubIdentities.contains) else { return }
        throw SyncError(.forbidden, "the \(what) (\(found)); initialise that replica from a fresh database")
    }
}
