import Foundation

/// What one exchange did.
public struct SyncReport: Hashable, Sendable, Codable {
    /// Changes sent to the peer.
    public var pushed: Int
    /// Changes received that took effect here.
    public var pulled: Int
    /// Batches exchanged, both ways.
    public var batches: Int
    /// This replica's digest after the exchange.
    public var localDigest: String
    /// The peer's digest after the exchange.
    public var remoteDigest: String
    /// The peer's clock minus this machine's, in milliseconds (positive: this clock is behind).
    public var clockOffsetMillis: Int64
    /// Writes of this replica re-stamped because they were made while its clock was far ahead
    /// (see ``ReplicaStore/restampFutureWrites(acknowledged:peerTime:)``).
    public var restamped = 0

    /// Whether the peer sends this replica only part of its changes (see
    /// ``HelloResponse/filtered``): the digests then differ by design.
    public var isFiltered = false

    /// The new identity this replica took at the start of the exchange, when the peer held more
    /// writes of its identity than its file (see ``ReplicaStore/reidentify(because:)``).
    public var reidentifiedAs: ReplicaID?
    /// The schema version both digests are computed at: the older of the two sides' versions.
    public var comparedSchemaVersion = 0
    /// The peer's schema version (0 when unknown).
    public var peerSchemaVersion = 0

    /// Whether both sides hold the same merged state.
    public var digestsMatch: Bool { localDigest == remoteDigest }
}

extension SyncReport {
    /// Decodes a report; `restamped`, `isFiltered`, `reidentifiedAs`, `comparedSchemaVersion`
    /// and `peerSchemaVersion` may be absent (reports written before they existed).
    ///
    /// - Parameter decoder: The decoder.
    /// - Throws: A decoding error for a missing or mistyped field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        pushed = try container.decode(Int.self, forKey: .pushed)
        pulled = try container.decode(Int.self, forKey: .pulled)
        batches = try container.decode(Int.self, forKey: .batches)
        localDigest = try container.decode(String.self, forKey: .localDigest)
        remoteDigest = try container.decode(String.self, forKey: .remoteDigest)
        clockOffsetMillis = try container.decode(Int64.self, forKey: .clockOffsetMillis)
        restamped = try container.decodeIfPresent(Int.self, forKey: .restamped) ?? 0
        isFiltered = try container.decodeIfPresent(Bool.self, forKey: .isFiltered) ?? false
        reidentifiedAs = try container.decodeIfPresent(ReplicaID.self, forKey: .reidentifiedAs)
        comparedSchemaVersion = try container.decodeIfPresent(Int.self, forKey: .comparedSchemaVersion) ?? 0
        peerSchemaVersion = try container.decodeIfPresent(Int.self, forKey: .peerSchemaVersion) ?? 0
    }
}

/// Progress of an exchange, for a progress bar.
public struct SyncProgress: Hashable, Sendable {
    /// `push` or `pull`.
    public var phase: String
    /// Changes moved so far in this phase.
    public var done: Int
    /// Changes to move in this phase, as far as known.
    public var total: Int
}

/// The client side of an exchange: pushes what the peer lacks, pulls what this replica lacks.
///
/// Each batch is applied and the vector advanced in one transaction, so an exchange cut at any
/// point loses at most the batch in flight; the next exchange starts from both vectors and
/// resumes where this one stopped. A batch that makes no progress ends the exchange with an
/// error instead of looping. Both directions keep a batch ahead, so that this replica
/// and the peer work at the same time: the next push batch is read while the peer applies the
/// current one, and the next pull batch is asked for while this replica applies the current one.
///
/// ```swift
/// let client = SyncClient(store: store, transport: transport)
/// let report = try await client.synchronize()
/// print(report.digestsMatch)
/// ```
public struct SyncClient: Sendable {
    /// The system clock in Unix milliseconds.
    public static let systemMillis: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }

    /// The local store.
    public let store: any SyncClientStore
    /// The pipe to the peer.
    public let transport: any SyncTransport
    /// Records per batch.
    public let batchLimit: Int
    /// The peer's name in `crdt_peer` (for status).
    public let peerName: String

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - store: The local store.
    ///   - transport: The pipe to the peer.
    ///   - peerName: The peer's name, for status (such as the hub URL).
    ///   - batchLimit: Records per batch.
    public init(
        store: any SyncClientStore,
        transport: any SyncTransport,
        peerName: String = "hub",
        batchLimit: Int = 500
    ) {
        self.store = store
        self.transport = transport
        self.peerName = peerName
        self.batchLimit = batchLimit
    }

    /// Runs one full exchange.
    ///
    /// - Parameter progress: Called after each batch.
    /// - Returns: What moved, and whether the digests match afterwards.
    /// - Throws: ``SyncError`` from the transport or the store; what was applied before stays.
    public func synchronize(progress: (@Sendable (SyncProgress) -> Void)? = nil) async throws -> SyncReport {
        var started = store.wallClock()
        var hello = try await transport.hello(makeHello())
        let reidentified = try await reidentifyIfBehind(hello.vector)
        if reidentified != nil {
            started = store.wallClock()
            hello = try await transport.hello(makeHello())
        }
        let offset = hello.serverTime - (started + store.wallClock()) / 2
        try refuseClockAhead(offset: offset, peerTime: hello.serverTime)
        var report = SyncReport(
            pushed: 0,
            pulled: 0,
            batches: 0,
            localDigest: "",
            remoteDigest: "",
            clockOffsetMillis: offset
        )
        report.reidentifiedAs = reidentified
        report.restamped = try await store.restampFutureWrites(
            acknowledged: hello.vector[store.replicaID],
            peerTime: store.wallClock() + offset
        )
        try await explainingClockDrift(offset: offset, peerTime: hello.serverTime) {
            // The peer's own origin is never pushed back to it: it refuses its own identity.
            let foreign = Set(hello.foreignOrigins ?? []).union([hello.replica]).subtracting([store.replicaID])
            try await push(from: hello.vector, excluding: foreign, report: &report, progress: progress)
            try await pull(report: &report, progress: progress)
        }
        report.peerSchemaVersion = hello.schemaVersion
        report.comparedSchemaVersion = SchemaVersions.compared(hello.schemaVersion, store.schema)
        report.localDigest = try await store.digest(schemaVersion: report.comparedSchemaVersion)
        let closing = try await transport.hello(makeHello(digest: report.localDigest))
        report.remoteDigest = closing.digest
        report.isFiltered = closing.filtered ?? hello.filtered ?? false
        try await store.recordSync(
            peer: peerName,
            vector: closing.vector,
            digestMatched: report.isFiltered ? nil : report.digestsMatch,
            replica: closing.replica
        )
        return report
    }

    /// Takes a new identity when the peer holds more writes of this replica's identity than
    /// this file has written.
    ///
    /// That is a backup copied back over the file, which kept its inode (a copy on another inode
    /// was re-identified when it was opened). Writing on under the same identity would reuse
    /// sequence numbers that the peer already holds.
    private func reidentifyIfBehind(_ peerVector: VersionVector) async throws -> ReplicaID? {
        let own = store.replicaID
        let written = try await store.vector()[own]
        guard peerVector[own] > written else { return nil }
        return try await store.reidentify(
            because: "the peer \(peerName) holds \(peerVector[own]) writes of this identity and this file has "
                + "written \(written) (restored from a backup)"
        )
    }

    private func makeHello(digest: String? = nil) async throws -> HelloRequest {
        HelloRequest(
            replica: store.replicaID,
            previousIdentities: try await store.previousIdentities(),
            vector: try await store.vector(),
            digest: digest,
            schemaVersion: store.schema.version,
            time: store.wallClock()
        )
    }

    /// Pushes what the peer lacks, leaving out origins the peer refuses from this replica.
    ///
    /// Pipelined, two batches in flight: batch N+1 is read from the store as if N succeeds (from
    /// the peer's vector advanced by N's covered ranges), made ready to send
    /// (``SyncTransport/prepare(_:)``) and sent while the peer still decodes or applies N; the
    /// peer applies it after N (see ``SyncServer/push(_:)``). Each answer is checked in order:
    /// when the peer's vector does not include what the client assumed (another writer, a batch
    /// applied out of order), the batches in flight are let finish and the push starts again
    /// from the peer's vector, sending at worst some changes twice (the peer ignores them). A
    /// failed batch ends the exchange with its error; what the peer applied stays, and the next
    /// exchange starts from the peer's vector.
    private func push(
        from remote: VersionVector,
        excluding foreign: Set<ReplicaID>,
        report: inout SyncReport,
        progress: (@Sendable (SyncProgress) -> Void)?
    ) async throws {
        var remoteVector = remote
        let total = try await store.pendingChangeCount(since: remoteVector)
        var sent = 0
        // The batches sent and not answered yet, oldest first, each with the vector the peer
        // holds once it is applied.
        var inFlight: [Flight] = []
        var assumed = remoteVector
        var finished = false
        do {
            while true {
                while !finished && inFlight.count < 2 {
                    let batch = try await store.changes(since: assumed, limit: batchLimit, excluding: foreign)
                    if batch.changes.isEmpty && batch.covered.isEmpty {
                        finished = true
                        break
                    }
                    let prepared = transport.prepare(batch)
                    let answer = Task { [transport] in try await transport.push(prepared: prepared) }
                    let speculative = assumed != remoteVector
                    assumed = assumed.advanced(by: batch)
                    inFlight.append(
                        Flight(
                            changeCount: batch.changes.count,
                            speculative: speculative,
                            assumed: assumed,
                            answer: answer
                        )
                    )
                    finished = batch.isComplete
                }
                guard !inFlight.isEmpty else { return }
                let flight = inFlight.removeFirst()
                let response = try await flight.answer.value
                report.batches += 1
                sent += flight.changeCount
                report.pushed += response.applied
                progress?(SyncProgress(phase: "push", done: sent, total: max(total, sent)))
                let advanced = remoteVector.merged(with: response.vector)
                if advanced.includes(flight.assumed) {
                    remoteVector = advanced
                    continue
                }
                // Not taken as assumed. A batch read from the vector the peer had confirmed when it
                // was sent, and that moved nothing, would loop; one read ahead of it starts again
                // from the peer's vector.
                guard advanced != remoteVector || flight.speculative else {
                    throw SyncError(
                        .transport,
                        "the peer accepted a batch without advancing its vector; stopping instead of looping"
                    )
                }
                remoteVector = advanced
                for other in inFlight {
                    guard let late = try? await other.answer.value else { continue }
                    report.batches += 1
                    report.pushed += late.applied
                    remoteVector.merge(late.vector)
                }
                inFlight = []
                assumed = remoteVector
                finished = false
            }
        } catch {
            // No push outlives the exchange: the ones in flight are cancelled and awaited.
            for flight in inFlight { flight.answer.cancel() }
            for flight in inFlight { await Self.stop(flight.answer) }
            throw error
        }
    }

    /// A pushed batch waiting for its answer.
    private struct Flight {
        var changeCount: Int
        /// Read ahead of the vector the peer had confirmed when it was sent.
        var speculative: Bool
        var assumed: VersionVector
        var answer: Task<PushResponse, any Error>
    }

    /// Pulls what this replica lacks.
    ///
    /// Pipelined in three stages: while batch N is applied, batch N+1 (asked for earlier) is
    /// received and checked (``ReplicaStore/validated(_:)``), and as soon as it is received batch
    /// N+2 is asked for, so that the peer reads and sends it meanwhile. Each batch ahead is asked
    /// for with the vector this replica will hold once the batches before it are applied (see
    /// ``VersionVector/advanced(by:)``). Batches are applied strictly in order; a batch asked for
    /// ahead is used only when the vector after applying includes the vector it was asked with,
    /// otherwise it is dropped and the pull goes on from the vector actually held. No request
    /// outlives the exchange: on an error the one ahead is cancelled and awaited.
    private func pull(report: inout SyncReport, progress: (@Sendable (SyncProgress) -> Void)?) async throws {
        var received = 0
        var before = try await store.vector()
        var checked = try store.validated(try await transport.pull(PullRequest(vector: before, limit: batchLimit)))
        // The batch after `checked`, asked for ahead with the vector it assumes.
        var next: Fetch?
        do {
            while true {
                try Task.checkCancellation()
                let batch = checked.batch
                if next == nil { next = fetch(after: batch, askedWith: before) }
                let pending = next
                async let prepared = prepare(pending)
                let result: ApplyResult
                do {
                    result = try await store.apply(checked)
                } catch {
                    // Stop the request ahead; the one after it may already be asked for: stop it too.
                    pending?.batch.cancel()
                    if let (_, after) = try? await prepared { next = after }
                    throw error
                }
                report.batches += 1
                report.pulled += result.applied
                received += batch.changes.count
                progress?(SyncProgress(phase: "pull", done: received, total: received))
                let ready = try await prepared
                if batch.isComplete { return }
                guard result.vector != before else {
                    next = ready?.after
                    throw SyncError(
                        .transport,
                        "a pulled batch did not advance this replica's vector; stopping instead of looping"
                    )
                }
                before = result.vector
                if let ready, let asked = next?.vector, before.includes(asked) {
                    checked = ready.checked
                    next = ready.after
                } else {
                    await Self.stop(ready?.after)
                    next = nil
                    checked = try store.validated(
                        try await transport.pull(PullRequest(vector: before, limit: batchLimit))
                    )
                }
            }
        } catch {
            await Self.stop(next)
            throw error
        }
    }

    /// A batch asked for ahead: the vector it was asked with, and the request.
    private struct Fetch: Sendable {
        var vector: VersionVector
        var batch: Task<ChangeBatch, any Error>
    }

    /// Asks for the batch that follows `batch`, asked for with `vector`, without waiting for it;
    /// `nil` when `batch` is the last or moves nothing.
    private func fetch(after batch: ChangeBatch, askedWith vector: VersionVector) -> Fetch? {
        let assumed = vector.advanced(by: batch)
        guard !batch.isComplete, assumed != vector else { return nil }
        let request = PullRequest(vector: assumed, limit: batchLimit)
        return Fetch(vector: assumed, batch: Task { [transport] in try await transport.pull(request) })
    }

    /// Receives the batch asked for ahead, asks for the one after it, then checks it.
    ///
    /// Returns `nil` when nothing was asked for ahead. Cancelling the caller cancels the request.
    private func prepare(_ fetch: Fetch?) async throws -> (checked: ValidatedBatch, after: Fetch?)? {
        guard let fetch else { return nil }
        let batch = try await withTaskCancellationHandler {
            try await fetch.batch.value
        } onCancel: {
            fetch.batch.cancel()
        }
        try Task.checkCancellation()
        let after = self.fetch(after: batch, askedWith: fetch.vector)
        do {
            return (try store.validated(batch), after)
        } catch {
            await Self.stop(after)
            throw error
        }
    }

    /// Cancels a request asked for ahead and waits for it to end.
    private static func stop(_ fetch: Fetch?) async {
        await stop(fetch?.batch)
    }

    /// Cancels a request and waits for it to end.
    private static func stop<Value>(_ request: Task<Value, any Error>?) async {
        guard let request else { return }
        request.cancel()
        _ = try? await request.value
    }
}
