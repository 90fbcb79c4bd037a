import Foundation
import SyncCore
import SyncTestSupport
import Synchronization
import Testing

/// `SyncClient`'s pipelined push and pull over real SQLite stores: the batches it sends and the
/// vectors it asks with are those of an exchange one batch at a time, and a failure in the middle
/// of the pipeline drops the batch prepared ahead and loses nothing.
@Suite struct PipelinedExchangeTests {
    /// What a ``RecordingTransport`` saw.
    struct Seen: Sendable {
        var pushed: [ChangeBatch] = []
        /// Pushes begun (``RecordingTransport/push(prepared:)`` entered).
        var started = 0
        /// For each push but the last: whether the push after it began before its answer.
        var overlapped: [Bool] = []
        /// Whether each push carried the body its preparation built.
        var sentPreparedBody: [Bool] = []
        var pullVectors: [VersionVector] = []
        var pulled: [ChangeBatch] = []
        /// Pull requests begun and not ended.
        var pullsInFlight = 0
    }

    /// An in-memory transport to a real server that records what passes and fails on request.
    final class RecordingTransport: SyncTransport {
        enum Fault: Sendable {
            /// The server applies the batch whose covered range starts after `seq`, and its
            /// answer is lost.
            case loseAnswerOfPush(after: UInt64)
            /// The push of the batch whose covered range starts after `seq` reaches the server
            /// only once the batch after `arrival` has reached it.
            case holdPushUntilArrival(after: UInt64, arrival: UInt64)
            /// The push of the batch whose covered range starts after `seq` reaches the server
            /// only once `condition` holds.
            case holdPush(after: UInt64, until: @Sendable () throws -> Bool)
            /// Pull number `n` fails before reaching the server.
            case failPull(Int)
            /// Pull number `n` returns a batch the client must refuse (an unknown table).
            case corruptPull(Int)
        }

        let inner: InMemoryTransport
        let fault: Fault?
        let seen = Mutex(Seen())

        init(server: SyncServer, fault: Fault? = nil) {
            inner = InMemoryTransport(server: server)
            self.fault = fault
        }

        func hello(_ request: HelloRequest) async throws -> HelloResponse { try await inner.hello(request) }

        func push(_ batch: ChangeBatch) async throws -> PushResponse {
            seen.withLock { $0.pushed.append(batch) }
            let response = try await inner.push(batch)
            if case .some(.loseAnswerOfPush(let after)) = fault, batch.covered.first?.after == after {
                throw SyncError(.transport, "the answer was lost")
            }
            return response
        }

        func prepare(_ batch: ChangeBatch) -> PreparedPush {
            PreparedPush(batch: batch, body: batch.json(), contentEncoding: "identity")
        }

        /// Without a fault, holds each answer but the last until the client sent the next push
        /// (at most 5 s; recorded as not overlapped then).
        func push(prepared: PreparedPush) async throws -> PushResponse {
            let number = seen.withLock { seen in
                seen.started += 1
                return seen.started
            }
            let asPrepared = prepared.body == prepared.batch.json() && prepared.contentEncoding == "identity"
            seen.withLock { $0.sentPreparedBody.append(asPrepared) }
            switch fault {
            case .holdPushUntilArrival(let after, let arrival) where prepared.batch.covered.first?.after == after:
                try await waitUntil { self.seen.withLock { $0.pushed.contains { $0.covered.first?.after == arrival } } }
            case .holdPush(let after, let condition) where prepared.batch.covered.first?.after == after:
                try await waitUntil(condition)
            default: break
            }
            let response = try await push(prepared.batch)
            if fault == nil && !prepared.batch.isComplete {
                let deadline = ContinuousClock.now + .seconds(5)
                while seen.withLock({ $0.started <= number }) && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(1))
                }
                seen.withLock { $0.overlapped.append($0.started > number) }
            }
            return response
        }

        /// Polls `condition` for up to 60 s.
        private func waitUntil(_ condition: @Sendable () throws -> Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(60)
            while try !condition() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        }

        func pull(_ request: PullRequest) async throws -> ChangeBatch {
            let number = seen.withLock { seen in
                seen.pullVectors.append(request.vector)
                seen.pullsInFlight += 1
                return seen.pullVectors.count
            }
            defer { seen.withLock { $0.pullsInFlight -= 1 } }
            if case .some(.failPull(number)) = fault { throw SyncError(.transport, "the link dropped") }
            var batch = try await inner.pull(request)
            if case .some(.corruptPull(number)) = fault, !batch.changes.isEmpty { batch.changes[0].table = "nowhere" }
            seen.withLock { $0.pulled.append(batch) }
            return batch
        }
    }

    private func store(_ name: String, proposals: Int, folder: TemporaryDirectory) throws -> ReplicaStore {
        let store = try ReplicaStore(path: folder.path(name))
        for index in 0..<proposals {
            try store.createProposal(ProposalDraft(title: "\(name) \(index)", body: "نص \(index)", commune: "tamanar"))
        }
        return store
    }

    @Test func advancedBy_isTheVectorThatApplyingLeaves() throws {
        let folder = try TemporaryDirectory()
        let hub = try store("hub.sqlite", proposals: 7, folder: folder)
        let laptop = try store("laptop.sqlite", proposals: 5, folder: folder)
        try hub.apply(try laptop.changes(since: VersionVector(), limit: 100))
        let office = try store("office.sqlite", proposals: 0, folder: folder)
        try office.apply(try laptop.changes(since: VersionVector(), limit: 2))
        var vector = try office.vector()
        var batches = 0
        while true {
            let batch = try hub.changes(since: vector, limit: 3)
            let result = try office.apply(batch)
            #expect(result.vector == vector.advanced(by: batch))
            #expect(result.vector.includes(vector))
            batches += 1
            if batch.isComplete { break }
            vector = result.vector
        }
        #expect(batches > 2)
        #expect(try office.digest() == hub.digest())
        let full = try hub.vector()
        #expect(!VersionVector().includes(full) && full.includes(VersionVector()) && full.includes(full))
    }

    @Test func pipelinedPush_keepsTwoContiguousBatchesInFlight_andALostAnswerEndsTheExchange() async throws {
        let folder = try TemporaryDirectory()
        let laptop = try store("laptop.sqlite", proposals: 23, folder: folder)
        let hub = try store("hub.sqlite", proposals: 0, folder: folder)
        let lossy = RecordingTransport(server: SyncServer(store: hub), fault: .loseAnswerOfPush(after: 10))
        await #expect(throws: SyncError.self) {
            try await SyncClient(store: laptop, transport: lossy, batchLimit: 5).synchronize()
        }
        // The fourth batch was already on its way when the answer to the third was lost: applied
        // or not.
        let sent = lossy.seen.withLock { $0.pushed }
        let held = try hub.vector()[laptop.replicaID]
        #expect(sent.count >= 3 && (held == 15 || held == 20))
        #expect(try hub.proposals().count == Int(held))

        let calm = RecordingTransport(server: SyncServer(store: hub))
        let report = try await SyncClient(store: laptop, transport: calm, batchLimit: 5).synchronize()
        #expect(report.digestsMatch && report.pushed == 23 - Int(held))
        let resumed = calm.seen.withLock { $0.pushed }
        let (overlapped, bodies) = calm.seen.withLock { ($0.overlapped, $0.sentPreparedBody) }
        #expect(overlapped.count == resumed.count - 1 && overlapped.allSatisfy { $0 })
        #expect(bodies.count == resumed.count && bodies.allSatisfy { $0 })
        // Two pushes in flight may reach the hub in either order; in order of their ranges,
        // each batch starts where the one before ends.
        for batches in [sent, resumed] {
            let ordered = batches.sorted { ($0.covered.first?.after ?? 0) < ($1.covered.first?.after ?? 0) }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                #expect(later.covered.map(\.after) == earlier.covered.map(\.through))
            }
        }
        #expect(resumed.map { $0.covered.first?.after ?? 0 }.min() == held)
        #expect(try hub.proposals().count == 23)
    }

    /// What a push of a laptop's 23 proposals to an empty hub, in batches of 5, did.
    struct PushRun {
        let folder: TemporaryDirectory
        let laptop: ReplicaStore
        let hub: ReplicaStore
        let report: SyncReport
        /// The batches in the order they reached the hub.
        let sent: [ChangeBatch]
    }

    /// Pushes a laptop's 23 proposals to an empty hub whose server waits `predecessorWait`, with
    /// the fault that `fault` makes from the hub's store.
    private func push(
        predecessorWait: Duration,
        fault: (ReplicaStore) -> RecordingTransport.Fault
    ) async throws -> PushRun {
        let folder = try TemporaryDirectory()
        let laptop = try store("laptop.sqlite", proposals: 23, folder: folder)
        let hub = try store("hub.sqlite", proposals: 0, folder: folder)
        let server = SyncServer(store: hub, predecessorWait: predecessorWait)
        let transport = RecordingTransport(server: server, fault: fault(hub))
        let report = try await SyncClient(store: laptop, transport: transport, batchLimit: 5).synchronize()
        return PushRun(
            folder: folder,
            laptop: laptop,
            hub: hub,
            report: report,
            sent: transport.seen.withLock { $0.pushed }
        )
    }

    /// Two pushes are in flight: when batch N+1 reaches the hub before N, the hub holds it until
    /// N is applied, so that its vector moves over both and nothing is sent twice.
    @Test func pipelinedPush_aBatchArrivingBeforeTheOneItContinuesWaitsForIt() async throws {
        // However loaded the machine, the hub waits for the batch before.
        let run = try await push(predecessorWait: .seconds(120)) { _ in
            .holdPushUntilArrival(after: 5, arrival: 10)
        }
        #expect(run.report.digestsMatch && run.report.pushed == 23)
        // The batch after 5 reached the hub after the one after 10, which waited for it.
        let starts = run.sent.map { $0.covered.first?.after ?? 0 }
        #expect(starts.prefix(3) == [0, 10, 5] && starts.sorted() == [0, 5, 10, 15, 20])
        #expect(try run.hub.proposals().count == 23)
    }

    /// When the batch before does not come in time, the hub applies the later one after its
    /// wait without moving its vector over it; the client sees that and sends the rest again
    /// from the hub's vector: the changes sent twice are ignored.
    @Test func pipelinedPush_whenTheBatchBeforeIsTooLate_theClientStartsAgainFromTheHubsVector() async throws {
        // The batch after 5 comes once the hub has applied the one after 10 without it.
        let run = try await push(predecessorWait: .milliseconds(50)) { hub in
            .holdPush(after: 5, until: { try hub.proposals().count >= 10 })
        }
        #expect(run.report.digestsMatch)
        #expect(run.report.pushed == 23)
        #expect(run.sent.count > 5)
        #expect(try run.hub.vector()[run.laptop.replicaID] == 23)
        #expect(try run.hub.proposals().count == 23)
    }

    @Test func pipelinedPull_asksWithTheVectorAfterEachBatch_andAFailedPullLosesNothing() async throws {
        let folder = try TemporaryDirectory()
        let hub = try store("hub.sqlite", proposals: 23, folder: folder)
        let laptop = try store("laptop.sqlite", proposals: 0, folder: folder)
        let lossy = RecordingTransport(server: SyncServer(store: hub), fault: .failPull(4))
        await #expect(throws: SyncError.self) {
            try await SyncClient(store: laptop, transport: lossy, batchLimit: 5).synchronize()
        }
        #expect(try laptop.proposals().count == 15)
        #expect(lossy.seen.withLock { $0.pullsInFlight } == 0)

        let calm = RecordingTransport(server: SyncServer(store: hub))
        let report = try await SyncClient(store: laptop, transport: calm, batchLimit: 5).synchronize()
        #expect(report.digestsMatch && report.pulled == 8)
        let (vectors, batches) = calm.seen.withLock { ($0.pullVectors, $0.pulled) }
        #expect(vectors.count == batches.count && batches.last?.isComplete == true)
        for index in vectors.indices.dropFirst() {
            #expect(vectors[index] == vectors[index - 1].advanced(by: batches[index - 1]))
        }
        #expect(try laptop.proposals().count == 23)
    }

    /// Cancelling the exchange (a daemon shutting down) stops the pull after the batch being
    /// applied, with the requests ahead stopped too.
    @Test func pipelinedPull_whenTheExchangeIsCancelled_stopsAfterTheBatchBeingApplied() async throws {
        let folder = try TemporaryDirectory()
        let hub = try store("hub.sqlite", proposals: 23, folder: folder)
        let laptop = try store("laptop.sqlite", proposals: 0, folder: folder)
        let transport = RecordingTransport(server: SyncServer(store: hub))
        // The exchange runs in its own task, which cancels itself once the first batch is applied.
        let exchange = Task {
            try await SyncClient(store: laptop, transport: transport, batchLimit: 5).synchronize { progress in
                guard progress.phase == "pull", progress.done == 5 else { return }
                withUnsafeCurrentTask { $0?.cancel() }
            }
        }
        await #expect(throws: CancellationError.self) { try await exchange.value }
        #expect(try laptop.proposals().count == 5)
        #expect(transport.seen.withLock { ($0.pullVectors.count <= 3, $0.pullsInFlight) } == (true, 0))
    }

    @Test func pipelinedPull_whenApplyingABatchFails_dropsTheBatchAskedForAhead() async throws {
        let folder = try TemporaryDirectory()
        let hub = try store("hub.sqlite", proposals: 23, folder: folder)
        let laptop = try store("laptop.sqlite", proposals: 0, folder: folder)
        let corrupt = RecordingTransport(server: SyncServer(store: hub), fault: .corruptPull(2))
        await #expect(throws: SyncError.self) {
            try await SyncClient(store: laptop, transport: corrupt, batchLimit: 5).synchronize()
        }
        let first = try #require(corrupt.seen.withLock { $0.pulled.first })
        // The third batch was asked for as soon as the second arrived; it was stopped.
        #expect(corrupt.seen.withLock { ($0.pullVectors.count, $0.pullsInFlight) } == (3, 0))
        #expect(try laptop.proposals().count == 5)
        #expect(try laptop.vector() == VersionVector().advanced(by: first))

        let report = try await SyncClient(store: laptop, transport: RecordingTransport(server: SyncServer(store: hub)))
            .synchronize()
        #expect(report.digestsMatch)
        #expect(try laptop.proposals().count == 23)
    }
}
