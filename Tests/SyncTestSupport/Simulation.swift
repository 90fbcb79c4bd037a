import SyncCore

/// A seeded simulation of the province, with lying replicas among the honest ones.
///
/// Three commune offices, a field laptop and the hub write at random; each office exchanges
/// bounded batches with the hub, and the laptop with its office, through the servers' own policy
/// (``SyncServer``'s methods for enrolled peers: what a peer may claim, and every claim of a
/// batch checked in the transaction that applies it), with batches dropped, duplicated and
/// delivered late. Two adversaries hold valid credentials, an Ounagha replica at the hub and a
/// laptop at the Tamanar office: besides honest writes and exchanges they send forged contexts,
/// covered ranges, sequences and identities, oversized vectors and replays (see
/// `Simulation+Adversary.swift`). At the end every replica syncs with its server four times.
///
/// The oracle: for every field ever written, the merged state held by each replica must equal
/// the pure merge (``FieldState``) of every acknowledged write of that field. So an acknowledged
/// write is either shown, kept as a concurrent (conflicting) value, or superseded by a write that
/// had seen it, and nothing else. Every lie must be refused, no honest request may be, and the
/// servers must have recorded exactly the adversaries' refusals.
///
/// ```swift
/// let outcome = try await Simulation(seed: 42).run()
/// #expect(outcome.failures.isEmpty)
/// ```
public final class Simulation {
    /// What a run found.
    public struct Outcome: Sendable {
        /// Descriptions of every broken expectation (empty when the run passed).
        public var failures: [String]
        /// The digests of the replicas at the end.
        public var digests: [String]
        /// Acknowledged local writes.
        public var writes: Int
        /// Batches built, with how many were dropped, duplicated and delayed.
        public var batches: Int
        /// Batches dropped on the way.
        public var dropped: Int
        /// Batches delivered twice.
        public var duplicated: Int
        /// Batches delivered late, out of order.
        public var delayed: Int
        /// Fields that ended with concurrent values (open conflicts, concurrent add and remove).
        public var concurrentFields: Int
        /// Collection passes run at random replicas.
        public var collections = 0
        /// Change-log entries removed by collection.
        public var collected = 0
        /// Lies sent by the adversaries, by kind; every one was refused.
        public var lies: [String: Int] = [:]
        /// Replayed batches, each of which changed nothing.
        public var replays = 0
    }

    struct Replica {
        var name: String
        var commune: String?
        var store: ReplicaStore
        var clock: ManualClock
        /// The replica it syncs with as a client (the hub, or a laptop's office), if any.
        var server: Int?
        /// Its enrollment there.
        var enrollment: Enrollment?
        /// Whether it lies as well as writing honestly.
        var isAdversary = false
    }

    let seed: UInt64
    var randomSource: SplitMix64
    private let folder: TemporaryDirectory
    private let time: ManualClock
    var replicas: [Replica] = []
    var acknowledged: [Change] = []
    var proposals: [String] = []
    var comments: [String] = []
    var events: [String] = []
    /// Batches held back on the way: a push (to the client's server) or a pull (to the client).
    private var late: [(client: Int, isPush: Bool, batch: ChangeBatch)] = []
    /// Batches of the adversaries accepted by their server, for replays.
    var accepted: [Int: [ChangeBatch]] = [:]
    /// Requests each enrollment sent that were refused (the adversaries' lies).
    var refusalsSent: [String: Int] = [:]
    /// The hub's position in ``replicas``.
    private(set) var hub = 0
    var outcome = Outcome(
        failures: [],
        digests: [],
        writes: 0,
        batches: 0,
        dropped: 0,
        duplicated: 0,
        delayed: 0,
        concurrentFields: 0
    )

    static let texts = [
        "تهيئة ساحة مولاي الحسن", "Nettoyage de la plage", "ⴰⵙⴰⵢⵙ ⵏ ⵜⵎⴰⵣⵉⵖⵜ", "إحداث فضاء رقمي للشباب",
        "Programme culturel d'hiver", "ماء صالح للشرب في الدواوير", "Piste rurale vers Tamanar", "e\u{301}cole",
    ]

    /// Creates the five replicas in a fresh temporary folder.
    ///
    /// - Parameter seed: The seed; the same seed replays the same run.
    /// - Throws: When a database cannot be created.
    public init(seed: UInt64) throws {
        self.seed = seed
        randomSource = SplitMix64(seed: seed)
        folder = try TemporaryDirectory()
        time = ManualClock(start: 1_764_380_000_000)
        // Each replica, its commune, the one it syncs with, and whether it lies.
        let layout: [(String, String?, String?, Bool)] = [
            ("hub", nil, nil, false), ("essaouira", "essaouira", "hub", false), ("ounagha", "ounagha", "hub", false),
            ("tamanar", "tamanar", "hub", false), ("tamanar-laptop", "tamanar", "tamanar", false),
            ("ounagha-rogue", "ounagha", "hub", true), ("tamanar-rogue-laptop", "tamanar", "tamanar", true),
        ]
        for (name, commune, _, isAdversary) in layout {
            let clock = ManualClock(start: time.now + Int64.random(in: -3_000...3_000, using: &randomSource))
            let store = try ReplicaStore(
                path: folder.path("\(name).sqlite"),
                schema: startingSchema(),
                durability: .normal,
                wallClock: clock.read
            )
            replicas.append(
                Replica(name: name, commune: commune, store: store, clock: clock, isAdversary: isAdversary)
            )
        }
        for (index, (_, commune, server, _)) in layout.enumerated() {
            guard let server, let commune, let at = layout.firstIndex(where: { $0.0 == server }) else { continue }
            replicas[index].server = at
            replicas[index].enrollment = try replicas[at].store.enroll(commune: commune, label: layout[index].0)
                .enrollment
        }
    }

    /// Runs the simulation.
    ///
    /// - Parameter steps: How many random steps before the final syncs.
    /// - Returns: What the run found.
    /// - Throws: An unexpected error from a store (a failure of the run).
    public func run(steps: Int = 60) async throws -> Outcome {
        for _ in 0..<steps {
            let delta = Int64.random(in: 0...40, using: &randomSource)
            time.advance(by: delta)
            for replica in replicas { replica.clock.advance(by: delta) }
            let index = Int.random(in: 0..<replicas.count, using: &randomSource)
            try randomWrite(at: index)
            try mixVersions()
            if randomSource.chance(0.6) { try await randomExchange() }
            if randomSource.chance(0.25) { try await randomLie() }
            if randomSource.chance(0.15) { try randomCollection() }
            if !late.isEmpty && randomSource.chance(0.2) {
                let held = late.remove(at: Int.random(in: 0..<late.count, using: &randomSource))
                try await deliver(held.batch, client: held.client, isPush: held.isPush)
            }
        }
        try await convergeAcrossVersions()
        // Half the replicas collect everything superseded, so the final syncs run from collected logs.
        for index in replicas.indices where randomSource.chance(0.5) { try collectAll(at: index) }
        try await converge()
        try checkOracle()
        try checkRecordStates()
        try checkRefusals()
        outcome.writes = acknowledged.count
        return outcome
    }

    // MARK: - Exchanges

    /// The policy of the server a client syncs with.
    func policy(of client: Int) -> SyncServer {
        let server = replicas[replicas[client].server!].store
        return SyncServer(
            store: server,
            registry: server,
            wallClock: replicas[client].clock.read,
            predecessorWait: .zero
        )
    }

    /// A hello of a client at its server, through the server's policy.
    func hello(_ client: Int) async throws -> HelloResponse {
        let store = replicas[client].store
        let request = HelloRequest(
            replica: store.replicaID,
            previousIdentities: try store.previousIdentities(),
            vector: try store.vector(),
            schemaVersion: store.schema.version
        )
        return try await policy(of: client).hello(request, from: replicas[client].enrollment!)
    }

    /// The batch a client pushes after its hello: what its server lacks, without the origins the
    /// server refuses from it.
    func pushBatch(_ client: Int, limit: Int) async throws -> ChangeBatch {
        let answer = try await hello(client)
        let foreign = Set(answer.foreignOrigins ?? []).union([answer.replica])
        return try replicas[client].store.changes(since: answer.vector, limit: limit, excluding: foreign)
    }

    private func randomExchange() async throws {
        let clients = replicas.indices.filter { replicas[$0].server != nil }
        let client = pick(clients)!
        let isPush = chance(0.5)
        let limit = Int.random(in: 1...6, using: &randomSource)
        let batch =
            isPush
            ? try await honestly(client, "push") { try await pushBatch(client, limit: limit) }
            : try await honestly(client, "pull") {
                try await policy(of: client).pull(
                    PullRequest(vector: try replicas[client].store.vector(), limit: limit),
                    for: replicas[client].enrollment!
                )
            }
        guard let batch else { return }
        outcome.batches += 1
        let roll = Double.random(in: 0..<1, using: &randomSource)
        if roll < 0.15 {
            outcome.dropped += 1
        } else if roll < 0.25 {
            outcome.duplicated += 1
            try await deliver(batch, client: client, isPush: isPush)
            try await deliver(batch, client: client, isPush: isPush)
        } else if roll < 0.40 {
            outcome.delayed += 1
            late.append((client, isPush, batch))
        } else {
            try await deliver(batch, client: client, isPush: isPush)
        }
    }

    /// Delivers a batch: a push through the server's policy, a pull to the client's store.
    private func deliver(_ batch: ChangeBatch, client: Int, isPush: Bool) async throws {
        _ = try await honestly(client, isPush ? "delivered push" : "delivered pull") {
            if isPush {
                let response = try await policy(of: client).push(batch, from: replicas[client].enrollment!)
                if replicas[client].isAdversary { accepted[client, default: []].append(batch) }
                return response.applied
            }
            return try replicas[client].store.apply(batch).applied
        }
    }

    /// Runs an honest request; a refusal is a failure of the run (an honest replica must never
    /// be refused), and the run goes on without it.
    private func honestly<Value>(
        _ client: Int,
        _ what: String,
        _ body: () async throws -> Value
    ) async throws -> Value? {
        do {
            return try await body()
        } catch let error as SyncError {
            outcome.failures.append("seed \(seed): an honest \(what) of \(replicas[client].name) was refused: \(error)")
            return nil
        }
    }

    /// Collects one replica's whole change log, with a random retention (0 to 200 ms of the
    /// simulated time) in passes of a random size; its digest and vector must not change.
    ///
    /// The whole log, not a part: which records a pass examines depends on their ids, which hold
    /// random bits, and a seed must replay the same run.
    private func randomCollection() throws {
        let index = Int.random(in: 0..<replicas.count, using: &randomSource)
        try collectAll(
            at: index,
            retention: .milliseconds(pick([0, 0, 20, 200])!),
            passLimit: Int.random(in: 1...4, using: &randomSource)
        )
    }

    /// Collects one replica's whole change log; its digest and vector must not change.
    private func collectAll(at index: Int, retention: Duration = .zero, passLimit: Int = 5) throws {
        let replica = replicas[index]
        let digest = try replica.store.digest()
        let vector = try replica.store.vector()
        var position: CollectionPosition?
        repeat {
            let pass = try replica.store.collect(retention: retention, after: position, limit: passLimit)
            outcome.collections += 1
            outcome.collected += pass.entriesRemoved
            position = pass.next
        } while position != nil
        if try replica.store.digest() != digest || replica.store.vector() != vector {
            outcome.failures.append(
                "seed \(seed): collecting \(replica.name)'s change log changed its digest or vector"
            )
        }
    }

    /// Pushes then pulls everything between a client and its server, through the server's
    /// policy: one hello, then batches cut from the vector each push answers, as `SyncClient`
    /// does; then pulls until the server has nothing more.
    func syncAll(_ client: Int) async throws {
        guard let answer = try await honestly(client, "final hello", { try await hello(client) }) else { return }
        let foreign = Set(answer.foreignOrigins ?? []).union([answer.replica])
        var remote = answer.vector
        for round in 0... {
            let batch = try replicas[client].store.changes(since: remote, limit: 7, excluding: foreign)
            if batch.changes.isEmpty && batch.covered.isEmpty { break }
            guard
                let response = try await honestly(
                    client,
                    "final push",
                    { try await policy(of: client).push(batch, from: replicas[client].enrollment!) }
                )
            else { return }
            if replicas[client].isAdversary { accepted[client, default: []].append(batch) }
            let advanced = remote.merged(with: response.vector)
            if batch.isComplete || advanced == remote { break }
            remote = advanced
            if round > 10_000 { return fail("the final push of \(replicas[client].name) does not terminate") }
        }
        for round in 0... {
            let request = PullRequest(vector: try replicas[client].store.vector(), limit: 7)
            guard
                let batch = try await honestly(
                    client,
                    "final pull",
                    { try await policy(of: client).pull(request, for: replicas[client].enrollment!) }
                )
            else { return }
            _ = try await honestly(client, "final pull's apply") { try replicas[client].store.apply(batch) }
            if batch.isComplete || batch.changes.isEmpty && batch.covered.isEmpty { break }
            if round > 10_000 { return fail("the final pull of \(replicas[client].name) does not terminate") }
        }
    }

    /// Syncs every client with its server, laptops first, then offices, for some rounds.
    func syncEveryClient(rounds: Int) async throws {
        let clients = replicas.indices.filter { replicas[$0].server != nil }
            .sorted { (replicas[$0].server == hub ? 1 : 0, $0) < (replicas[$1].server == hub ? 1 : 0, $1) }
        for _ in 0..<rounds {
            for client in clients { try await syncAll(client) }
        }
    }

    private func converge() async throws {
        // The replicas have converged across versions (``convergeAcrossVersions()``: three
        // rounds, in which a laptop's writes reach every office); one more round must move
        // nothing that changes a digest.
        try await syncEveryClient(rounds: 1)
        outcome.digests = try replicas.map { try $0.store.digest() }
        for replica in replicas where try replica.store.recomputedDigest() != replica.store.digest() {
            outcome.failures.append("seed \(seed): \(replica.name)'s running digest differs from its recomputed digest")
        }
        if Set(outcome.digests).count != 1 {
            let listing = zip(replicas, outcome.digests).map { "\($0.name)=\($1.prefix(12))" }.joined(separator: " ")
            outcome.failures.append("seed \(seed): digests differ after the final rounds: \(listing)")
        }
    }

    // MARK: - Oracle

    private struct FieldKey: Hashable {
        var table: String
        var record: String
        var column: String
    }

    private func checkOracle() throws {
        var writes: [FieldKey: [FieldWrite]] = [:]
        for change in acknowledged {
            for (column, field) in change.fields {
                let key = FieldKey(table: change.table, record: change.record, column: column)
                writes[key, default: []].append(
                    FieldWrite(value: field.value, dot: change.dot, timestamp: change.timestamp, context: field.context)
                )
            }
        }
        let schema = replicas[0].store.schema
        let keys = Array(writes.keys)
        let held = try replicas.map { replica in
            try replica.store.fieldStates(keys.map { ($0.table, $0.record, $0.column) })
        }
        for (index, key) in keys.enumerated() {
            let table = schema.table(named: key.table)!
            let column = table.column(named: key.column)!
            let expected = FieldState(rule: column.rule, writes: writes[key]!)
            if expected.writes.count > 1 { outcome.concurrentFields += 1 }
            for (replica, states) in zip(replicas, held) {
                let actual = states[index]
                actual._checkInvariants()
                let sameDots = actual.writes.map(\.dot) == expected.writes.map(\.dot)
                let erased = column.isErasedByTombstone && actual.writes.allSatisfy { $0.value == .null }
                let sameValues = erased || actual.writes.map(\.value) == expected.writes.map(\.value)
                if !sameDots || !sameValues {
                    outcome.failures.append(
                        "seed \(seed): \(replica.name) holds \(actual.writes.map { "\($0.dot)=\($0.value)" }) for "
                            + "\(key.table).\(key.column) of \(key.record), expected "
                            + "\(expected.writes.map { "\($0.dot)=\($0.value)" })"
                    )
                }
            }
        }
    }

    /// Merges every acknowledged change, in a shuffled order, into in-memory ``RecordState``s
    /// (the merge the hub's PostgreSQL backend runs) and checks that their summed hashes give
    /// the digest the SQLite replicas converged to, and that each state reads back equal from
    /// its encoded parts.
    private func checkRecordStates() throws {
        guard let converged = outcome.digests.first else { return }
        let schema = replicas[0].store.schema
        var order = SplitMix64(seed: seed ^ 0x5245_434F_5244)
        var records: [String: (record: String, state: RecordState)] = [:]
        for change in acknowledged.shuffled(using: &order) {
            let key = change.table + "\u{0}" + change.record
            var entry = records[key] ?? (change.record, RecordState(table: schema.table(named: change.table)!))
            entry.state.merge(change)
            records[key] = entry
        }
        var sum = DigestSum.zero
        for entry in records.values {
            sum.add(entry.state.hash(record: entry.record))
            let state = entry.state
            let decoded = try RecordState(
                table: state.table,
                values: state.encodedValues,
                meta: state.encodedMeta,
                others: state.encodedOthers
            )
            if decoded != state {
                outcome.failures.append("seed \(seed): \(state.table.name) \(entry.record) does not read back equal")
            }
        }
        let digest = sum.digest(schemaVersion: schema.version)
        if digest != converged {
            outcome.failures.append(
                "seed \(seed): in-memory record states give digest \(digest.prefix(12)), SQLite replicas "
                    + "\(converged.prefix(12))"
            )
        }
    }

    // MARK: - Writes

    func pick<T>(_ items: [T]) -> T? {
        items.isEmpty ? nil : items[Int.random(in: 0..<items.count, using: &randomSource)]
    }

    func chance(_ p: Double) -> Bool { randomSource.chance(p) }

    func text() -> String { pick(Self.texts)! }

    func record(_ changes: [Change]) { acknowledged += changes }
}
