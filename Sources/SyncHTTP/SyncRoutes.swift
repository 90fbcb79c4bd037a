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

    /// A request of an enrolled peer was refused.
    ///
    /// - Parameter error: The refusal.
    func refused(_ error: SyncError)
}

/// An observer that records nothing.
package struct NoSyncRouteObserver: SyncRouteObserver {
    /// Creates the observer.
    package init() {}

    package func pulled(_ count: Int) {}

    package func pushed(_ response: PushResponse) {}

    package func refused(_ error: SyncError) {}
}

/// The versioned sync endpoints: `POST /v1/hello`, `POST /v1/pull` and `POST /v1/push`.
///
/// The hub and a commune office that serves its field laptops answer them with this one type.
/// The routes decode, call ``SyncServer``'s methods for enrolled peers (which hold the whole
/// policy: what a peer may claim, bounds, refusals recorded for the operator) and encode; they
/// are written against ``SyncServer`` and ``EnrollmentRegistry``, never against SQLite, so
/// another storage backend plugs in without touching them. Docs/PROTOCOL.md describes the
/// messages.
package struct SyncRoutes<Context: SyncRequestContext>: Sendable {
    /// The exchange logic and the server's policy over the served store and its register.
    package let server: SyncServer
    /// Where applied and pulled changes are counted.
    package let observer: any SyncRouteObserver
    /// The largest request body, in bytes, after decompression.
    package let maxBodyBytes: Int

    /// Creates the routes.
    ///
    /// - Parameters:
    ///   - server: The exchange logic over the served store, with its register.
    ///   - observer: Where applied and pulled changes are counted.
    ///   - maxBodyBytes: The largest request body, in bytes, after decompression.
    package init(
        server: SyncServer,
        observer: any SyncRouteObserver = NoSyncRouteObserver(),
        maxBodyBytes: Int
    ) {
        precondition(server.registry != nil, "the sync routes serve enrolled peers: give the server its register")
        self.server = server
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
        let response = try await logging(context, "hello") { try await server.hello(hello, from: enrollment) }
        context.logger.info(
            "hello",
            metadata: [
                "replica": .string(hello.replica.rawValue),
                "schema": .stringConvertible(hello.schemaVersion),
                "digest_matched": .string(
                    response.filtered == true
                        ? "filtered" : hello.digest.map { String($0 == response.digest) } ?? "not sent"
                ),
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
        let batch = try await logging(context, "pull") { try await server.pull(pull, for: enrollment) }
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

    /// Applies a pushed batch whole once the server's policy admits it.
    package func push(_ request: Request, context: Context) async throws -> Response {
        let enrollment = try context.requireEnrollment()
        let batch = try await JSONBody.decodeBatch(from: request, limit: maxBodyBytes)
        let response = try await logging(context, "push") { try await server.push(batch, from: enrollment) }
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

    /// Logs a refused request at warning level, with the refusal's code and message, and tells
    /// the observer.
    private func logging<Value>(
        _ context: Context,
        _ route: String,
        _ body: () async throws -> Value
    ) async throws -> Value {
        do {
            return try await body()
        } catch let error as SyncError where error.code != .storage {
            context.logger.warning(
                "refused",
                metadata: [
                    "route": .string(route),
                    "code": .string(error.code.description),
                    "reason": .string(error.message),
                ]
            )
            observer.refused(error)
            throw error
        }
    }
}
