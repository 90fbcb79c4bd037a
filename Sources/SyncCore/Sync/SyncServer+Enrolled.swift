// MARK: - The server's policy towards enrolled peers

extension SyncServer {
    /// The most identities a hello may present (the current one and earlier ones).
    package static var maxPresentedIdentities: Int { 64 }
    /// The latest wall clock a hello may state: the last millisecond of the year 9999.
    package static var latestClockMillis: Int64 { 253_402_300_799_999 }
    /// How many more origins than this server knows a peer's vector may name: the peer's own
    /// identities and the laptops it relays, which this server has not heard of yet.
    package static var vectorMargin: Int { 256 }

    /// Answers an enrolled peer's hello: checks what it presents (``OriginAdmission``), binds its
    /// new identities to its enrollment, names the origins it may not push, and records its
    /// vector and digest agreement.
    ///
    /// - Parameters:
    ///   - request: The hello.
    ///   - enrollment: The peer's enrollment, from its credential.
    /// - Returns: This server's answer.
    /// - Throws: ``SyncError``; a refusal is recorded with the enrollment.
    package func hello(_ request: HelloRequest, from enrollment: Enrollment) async throws -> HelloResponse {
        let registry = try requireRegistry()
        return try await recordingRefusal(of: enrollment) {
            let identities = [request.replica] + request.previousIdentities
            guard identities.count <= Self.maxPresentedIdentities else {
                throw SyncError(.tooLarge, "a hello presents at most \(Self.maxPresentedIdentities) identities")
            }
            if let time = request.time, !(0...Self.latestClockMillis).contains(time) {
                throw SyncError(
                    .invalidArgument,
                    "the hello's time must be Unix milliseconds from 1970 to 9999; fix this machine's clock"
                )
            }
            var response = try await hello(request)
            try checkSize(of: request.vector, against: response.vector, what: "the hello's vector")
            // The origins the peer has more of than this server: what it would push.
            let ahead = request.vector.entries.filter { $0.value > response.vector[$0.key] }.map(\.key)
            let facts = try await registry.originFacts(identities + ahead)
            let reserved = try await registry.reservedIdentities()
            let toBind = try OriginAdmission.admit(
                identities,
                claimedBy: enrollment,
                facts: facts,
                reserved: reserved,
                what: "the hello"
            )
            try await registry.bind(toBind, to: enrollment)
            let mine = Set(identities)
            response.foreignOrigins = ahead.filter { origin in
                guard !mine.contains(origin) else { return false }
                let fact = facts[origin] ?? OriginFact(enrollment: nil, isHeld: false)
                return reserved[origin] != nil || fact.enrollment.map { $0 != enrollment.id } ?? fact.isHeld
            }.sorted()
            // A relay receives only its province's changes: its digest differs from this hub's by
            // design, so the two are not compared.
            let isRelay = enrollment.kind == .relay
            if isRelay { response.filtered = true }
            let known = Set(response.vector.entries.keys).union(mine)
            try await registry.recordExchange(
                enrollment: enrollment.id,
                vector: VersionVector(request.vector.entries.filter { known.contains($0.key) }),
                digestMatched: isRelay ? nil : request.digest.map { $0 == response.digest },
                clockOffsetMillis: request.time.map { $0 - response.serverTime }
            )
            try await registry.recordVersions(enrollment: enrollment.id, versions: ReplicaVersions(request))
            return response
        }
    }

    /// Answers an enrolled peer's pull; a relay gets only the origins of its province and this
    /// server's own.
    ///
    /// - Parameters:
    ///   - request: What the peer has.
    ///   - enrollment: The peer's enrollment.
    /// - Returns: A bounded batch of what it lacks.
    /// - Throws: ``SyncError``.
    package func pull(_ request: PullRequest, for enrollment: Enrollment) async throws -> ChangeBatch {
        let registry = try requireRegistry()
        return try await recordingRefusal(of: enrollment) {
            try checkSize(of: request.vector, against: try await store.vector(), what: "the pull's vector")
            guard enrollment.kind == .relay else { return try await pull(request) }
            let own = [store.replicaID] + (store.previousReplicaID.map { [$0] } ?? [])
            let filter = OriginFilter.relay(
                origins: Set(try await registry.scopeOrigins(for: enrollment)),
                shared: Set(own)
            )
            return try await pull(request, filter: filter)
        }
    }

    /// Applies an enrolled peer's batch once the peer may claim every origin it carries.
    ///
    /// Every origin of its changes and of its covered ranges must pass ``OriginAdmission``. The
    /// origins new to this
    /// server are bound to the peer's enrollment first, even if the batch is then refused for
    /// its content: the first enrollment to bring an origin nobody holds keeps it.
    ///
    /// - Parameters:
    ///   - batch: The pushed changes.
    ///   - enrollment: The pusher's enrollment.
    /// - Returns: What took effect and this server's new vector.
    /// - Throws: ``SyncError``; nothing of the batch is applied then, and the refusal is recorded.
    package func push(_ batch: ChangeBatch, from enrollment: Enrollment) async throws -> PushResponse {
        let registry = try requireRegistry()
        return try await recordingRefusal(of: enrollment) {
            guard batch.changes.count <= Self.maxBatchLimit else {
                throw SyncError(
                    .tooLarge,
                    "a batch holds at most \(Self.maxBatchLimit) changes (got \(batch.changes.count))"
                )
            }
            let origins = batch.changes.map(\.origin) + batch.covered.map(\.origin)
            // Bound before the batch is applied: a batch that follows this one may otherwise find
            // its origins held and bound to nobody.
            let toBind = try await admit(origins, from: enrollment, what: "the batch", registry: registry)
            try await registry.bind(toBind, to: enrollment)
            return try await push(batch)
        }
    }

    /// Imports a bundle that an enrolled peer wrote (a field laptop's, at its office): its sender
    /// is admitted as a hello's identity is, every batch's origins as a push's, all before anything
    /// is applied; then the batches are applied in order, each in its own transaction.
    ///
    /// - Parameters:
    ///   - bundle: The bundle, already opened and verified (``SyncBundle/open(_:schemaVersion:key:)``).
    ///   - enrollment: The enrollment whose credential keyed it.
    /// - Returns: What took effect.
    /// - Throws: ``SyncError``; with a refusal nothing is applied and it is recorded.
    package func importBundle(_ bundle: SyncBundle, from enrollment: Enrollment) async throws -> SyncBundle.ImportResult
    {
        let registry = try requireRegistry()
        return try await recordingRefusal(of: enrollment) {
            var origins = [bundle.header.sender]
            for batch in bundle.batches {
                guard batch.changes.count <= Self.maxBatchLimit else {
                    throw SyncError(.tooLarge, "a batch of the bundle holds more than \(Self.maxBatchLimit) changes")
                }
                origins += batch.changes.map(\.origin) + batch.covered.map(\.origin)
            }
            let toBind = try await admit(origins, from: enrollment, what: "the bundle", registry: registry)
            try await registry.bind(toBind, to: enrollment)
            let result = try await bundle.apply(to: store) { _ in }
            let known = Set(try await store.vector().entries.keys)
            try await registry.recordExchange(
                enrollment: enrollment.id,
                vector: VersionVector(bundle.header.senderVector.entries.filter { known.contains($0.key) }),
                digestMatched: nil,
                clockOffsetMillis: nil
            )
            return result
        }
    }

    // MARK: - Checks

    private func requireRegistry() throws -> any EnrollmentRegistry {
        guard let registry else {
            preconditionFailure("a SyncServer serving enrolled peers is made with their register")
        }
        return registry
    }

    private func admit(
        _ origins: [ReplicaID],
        from enrollment: Enrollment,
        what: String,
        registry: any EnrollmentRegistry
    ) async throws -> [ReplicaID] {
        let unique = Array(Set(origins))
        return try OriginAdmission.admit(
            unique,
            claimedBy: enrollment,
            facts: try await registry.originFacts(unique),
            reserved: try await registry.reservedIdentities(),
            what: what
        )
    }

    /// Refuses a peer's vector that names far more origins than this server knows: it would be
    /// stored and read at every exchange.
    private func checkSize(of vector: VersionVector, against held: VersionVector, what: String) throws {
        let bound = held.entries.count + Self.vectorMargin
        guard vector.entries.count <= bound else {
            throw SyncError(
                .tooLarge,
                "\(what) names \(vector.entries.count) origins; this server knows \(held.entries.count) and accepts "
                    + "at most \(Self.vectorMargin) more"
            )
        }
    }

    /// Runs a request of an enrolled peer, recording a refusal with its enrollment so that an
    /// operator sees it (`hub-server replicas`, the dashboard); storage failures and version
    /// mismatches are not refusals of what the peer said.
    private func recordingRefusal<Value>(
        of enrollment: Enrollment,
        _ body: () async throws -> Value
    ) async throws -> Value {
        do {
            return try await body()
        } catch let error as SyncError where Self.isRefusal(error.code) {
            try? await registry?.recordRefusal(enrollment: enrollment.id, error: error)
            throw error
        }
    }

    private static func isRefusal(_ code: SyncError.Code) -> Bool {
        [.forbidden, .tooLarge, .invalidBatch, .invalidArgument, .clockDrift].contains(code)
    }
}
