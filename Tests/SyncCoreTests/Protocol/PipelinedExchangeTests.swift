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
        /// Batches made ready to send (``SyncTransport/prepare(_:)``).
        var prepared = 0
        /// For each push but the last: whether the batch after it was made ready before its answer.
        var preparedAhead: [Bool] = []
        /// Whether each push carried the body its preparation built.
        var sentPreparedBody: [Bool] = []
        var pullVectors: [VersionVector] = []
        var pulled: [ChangeBatch] = []
    }

    /// An in-memory transport to a real server that records what passes and fails on request.
    final class RecordingTransport: SyncTransport {
        enum Fault: Sendable {
            /// The server applies push number `n` (1-based) and its answer is lost.
            case loseAnswerOfPush(Int)
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
            let number = seen.withLock { seen in
                seen.pushed.append(batch)
                return seen.pushed.count
            }
            let response = try await inner.push(batch)
            if case .some(.loseAnswerOfPush(number)) = fault { throw SyncError(.transport, "the answer was lost") }
            return response
        }

        func prepare(_ batch: ChangeBatch) -> PreparedPush {
            seen.withLock { $0.prepared += 1 }
            return PreparedPush(batch: batch, body: batch.json(), contentEncoding: "identity")
        }

        /// Answers once the client made the next batch ready (or after 5 s, recorded as not ahead).
        func push(prepared: PreparedPush) async throws -> PushResponse {
            let number = seen.withLock { $0.pushed.count } + 1
            let asPrepared = prepared.body == prepared.batch.json() && prepared.contentEncoding == "identity"
            seen.withLock { $0.sentPreparedBody.append(asPrepared) }
            if !prepared.batch.isComplete {
                let deadline = ContinuousClock.now + .seconds(5)
                while seen.withLock({ $0.prepared <= number }) && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(1))
                }
                seen.withLock { $0.preparedAhead.append($0.prepared > number) }
            }
            return try await push(prepared.batch)
        }

        func pull(_ request: PullRequest) async throws -> ChangeBatch {
            let number = seen.withLock { seen in
                seen.pullVectors.append(request.vector)
                return seen.pullVectors.count
            }
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

    @Test func pipelinedPush_sendsContiguousBatchesMadeReadyAhead_andALostAnswerDropsTheBatchReadAhead() async throws {
        let folder = try TemporaryDirectory()
        let laptop = try store("laptop.sqlite", proposals: 23, folder: folder)
        let hub = try store("hub.sqlite", proposals: 0, folder: folder)
        let lossy = RecordingTransport(server: SyncServer(store: hub), fault: .loseAnswerOfPush(3))
        await #expect(throws: SyncError.self) {
            try await SyncClient(store: laptop, transport: lossy, batchLimit: 5).synchronize()
        }
        let sent = lossy.seen.withLock { $0.pushed }
        #expect(sent.count == 3)
        #expect(try hub.vector()[laptop.replicaID] == 15)
        #expect(try hub.proposals().count == 15)

        let calm = RecordingTransport(server: SyncServer(store: hub))
        let report = try await SyncClient(store: laptop, transport: calm, batchLimit: 5).synchronize()
        #expect(report.digestsMatch && report.pushed == 8)
        let resumed = calm.seen.withLock { $0.pushed }
        let (ahead, bodies) = calm.seen.withLock { ($0.preparedAhead, $0.sentPreparedBody) }
        #expect(ahead.count == resumed.count - 1 && ahead.allSatisfy { $0 })
        #expect(bodies.count == resumed.count && bodies.allSatisfy { $0 })
        for batches in [sent, resumed] {
            for (earlier, later) in zip(batches, batches.dropFirst()) {
                #expect(later.covered.map(\.after) == earlier.covered.map(\.through))
            }
        }
        #expect(resumed.first?.covered.first?.after == 15)
        #expect(try hub.proposals().count == 23)
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

    @Test func pipelinedPull_whenApplyingABatchFails_dropsTheBatchAskedForAhead() async throws {
        let folder = try TemporaryDirectory()
        let hub = try store("hub.sqlite", proposals: 23, folder: folder)
        let laptop = try store("laptop.sqlite", proposals: 0, folder: folder)
        let corrupt = RecordingTransport(server: SyncServer(store: hub), fault: .corruptPull(2))
        await #expect(throws: SyncError.self) {
            try await SyncClient(store: laptop, transport: corrupt, batchLimit: 5).synchronize()
        }
        let first = try #require(corrupt.seen.withLock { $0.pulled.first })
        #expect(try laptop.proposals().count == 5)
        #expect(try laptop.vector() == VersionVector().advanced(by: first))

        let report = try await SyncClient(store: laptop, transport: RecordingTransport(server: SyncServer(store: hub)))
            .synchronize()
        #expect(report.digestsMatch)
        #expect(try laptop.proposals().count == 23)
    }
}
