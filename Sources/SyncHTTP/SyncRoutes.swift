package import Hummingbird
import Logging
package import SyncCore

/// What the sync routes report after each pull and push, such as the hub's Prometheus counters.
package protocol SyncRouteObserver: Sendable {
    /// A pull was answered with `count` changes.
    ///
    /// - Parameter count: The changes sent.
    func pulled(_ count: Int)

    /// A push was applied.
    ///
    /// - Parameter response: What took effect.
    func pushed(_ response: PushResponse)
}

/// An observer that records nothing.
package struct NoSyncRouteObserver: SyncRouteObserver {
    /// Creates the observer.
    package init() {}

    package func pulled(_ count: Int) {}

    package func pushed(_ response: PushResponse) {}
}

/// The versioned sync endpoints: `POST /v1/hello`, `POST /v1/pull` and `POST /v1/push`.
///
/// The hub and a commune office that serves its field laptops answer them with this one type:
/// the routes are written against ``SyncServer`` (which serves any ``SyncStore``) and
/// ``EnrollmentRegistry``, never against SQLite, so another storage backend plugs in without
/// touching them. With SQLite, store calls are short blocking transactions made directly from
/// the handler; with PostgreSQL they are awaited queries. Docs/PROTOCOL.md describes the messages.
package struct SyncRoutes<Context: SyncRequestContext>: Sendable {
    /// The most identities a hello may present (the current one and earlier ones).
    package static var maxPresentedIdentities: Int { 64 }
    /// The latest wall clock a hello may state: the last millisecond of the year 9999.
    package static var latestClockMillis: Int64 { 253_402_300_799_999 }

    /// The exchange logic over the served store.
    package let server: SyncServer
    /// The credentials and commune bindings.
    package let registry: any EnrollmentRegistry
    /// Where applied and pulled changes are counted.
    package let observer: any SyncRouteObserver
    /// The largest request body, in bytes, after decompression.
    package let maxBodyBytes: Int

    /// Creates the routes.
    ///
    /// - Parameters:
    ///   - server: The exchange logic over the served store.
    ///   - registry: The credentials and commune bindings.
    ///   - observer: Where applied and pulled changes are counted.
    ///   - maxBodyBytes: The largest request body, in bytes, after decompression.
    package init(
        server: SyncServer,
        registry: any EnrollmentRegistry,
        observer: any SyncRouteObserver = NoSyncRouteObserver(),
        maxBodyBytes: Int
    ) {
        self.server = server
        self.registry = registry
        self.observer = observer
        self.maxBodyBytes = maxBodyBytes
        MemoryTuning.keepBatchBuffers()
    }

    /// Adds the routes to a group that authenticates its requests.
    ///
    /// - Parameter group: The `/v1` group, behind ``BearerAuthMiddleware``.
    package func addRoutes(to group: RouterGroup<Context>) {
        group.post("hello") { request, context in try await hello(request, context: context) }
        group.post("pull") { request, context in try await pull(request, context: context) }
        group.post("push") { request, context in try await push(request, context: context) }
    }

    // MARK: - Handlers

    /// Answers a hello, binds the identities the replica presents and records its vector.
    package func hello(_ request: Request, context: Context) async throws -> Response {
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
        try refuseServerIdentity(in: identities, what: "replica presents this server's own identity")
        var response = try await server.hello(hello)
        try await registry.bind(origins: identities, to: enrollment)
        response.foreignOrigins = try await registry.foreignOrigins(for: enrollment)
        // A relay receives only its province's changes: its digest differs from this hub's by
        // design, so the two are not compared.
        let isRelay = enrollment.kind == .relay
        if isRelay { response.filtered = true }
        let matched = isRelay ? nil : hello.digest.map { $0 == response.digest }
        try await registry.recordExchange(
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
                "digest_matched": .string(isRelay ? "filtered" : matched.map { String($0) } ?? "not sent"),
            ]
        )
        return try JSONBody.response(response, for: request)
    }

    /// Answers a pull with a bounded batch of what the replica lacks; a relay gets only the
    /// origins of its province and this server's own.
    package func pull(_ request: Request, context: Context) async throws -> Response {
        let enrollment = try context.requireEnrollment()
        let pull = try await JSONBody.decode(
            PullRequest.self,
            from: request,
            limit: maxBodyBytes,
            code: .invalidArgument
        )
        let batch = try await server.pull(pull, filter: try await originFilter(for: enrollment))
        observer.pulled(batch.changes.count)
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
    package func push(_ request: Request, context: Context) async throws -> Response {
        let enrollment = try context.requireEnrollment()
        let batch = try await JSONBody.decodeBatch(from: request, limit: maxBodyBytes)
        guard batch.changes.count <= SyncServer.maxBatchLimit else {
            throw SyncError(
                .tooLarge,
                "a batch holds at most \(SyncServer.maxBatchLimit) changes (got \(batch.changes.count))"
            )
        }
        try refuseServerIdentity(
            in: batch.changes.map(\.origin) + batch.covered.map(\.origin),
            what: "batch carries changes of this server's own origin"
        )
        try await registry.authorize(batch, from: enrollment)
        let response = try await server.push(batch)
        observer.pushed(response)
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

    /// What an enrollment may pull: everything for a replica; for a relay, the origins bound to
    /// its province (its own, its communes' replicas'), and this hub's own writes (the national
    /// coordinators' answers) to the records of that province.
    private func originFilter(for enrollment: Enrollment) async throws -> OriginFilter {
        guard enrollment.kind == .relay else { return .all }
        let own = [server.store.replicaID] + (server.store.previousReplicaID.map { [$0] } ?? [])
        return .relay(origins: Set(try await registry.scopeOrigins(for: enrollment)), shared: Set(own))
    }

    /// Refuses the server's own identity from a replica: only a copy of the server's database
    /// could present it, and changes under it would be taken for the server's own writes.
    private func refuseServerIdentity(in origins: [ReplicaID], what: String) throws {
        let own = [server.store.replicaID] + (server.store.previousReplicaID.map { [$0] } ?? [])
        guard let found = origins.first(where: own.contains) else { return }
        throw SyncError(.forbidden, "the \(what) (\(found)); initialise that replica from a fresh database")
    }
}
