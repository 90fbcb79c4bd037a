import SyncCore

/// The lies of the simulation's adversaries: replicas with valid credentials that send, among
/// their honest traffic, well-formed requests claiming what they may not.
extension Simulation {
    /// What an adversary claims falsely, and the refusal each must get.
    public enum Lie: String, CaseIterable, Sendable {
        /// A context naming a write of another origin that nobody made: it would freeze the field.
        case contextAhead = "context ahead of what exists"
        /// A context naming a later write of the change's own origin.
        case ownContextAhead = "context ahead of its own write"
        /// A context naming more origins than any field's history could.
        case hugeContext = "oversized context"
        /// A covered range of another replica's origin: it would silence that replica.
        case foreignRange = "covered range of another origin"
        /// A change under another replica's origin at a huge sequence: it would brick that replica.
        case foreignOrigin = "change under another origin"
        /// A change under the server's own identity.
        case serverOrigin = "change under the server's identity"
        /// A hello presenting the server's own identity.
        case serverIdentity = "hello as the server"
        /// A hello presenting an identity the server holds from another path.
        case heldIdentity = "hello as another replica"
        /// A hello whose vector names far more origins than the server knows.
        case oversizedVector = "oversized vector"

        /// The refusal's code.
        var expected: SyncError.Code {
            switch self {
            case .contextAhead, .ownContextAhead, .hugeContext: .invalidBatch
            case .foreignRange, .foreignOrigin, .serverOrigin, .serverIdentity, .heldIdentity: .forbidden
            case .oversizedVector: .tooLarge
            }
        }
    }

    /// One adversary tells one lie, or replays one of its accepted batches.
    func randomLie() async throws {
        let liar = pick(replicas.indices.filter { replicas[$0].isAdversary })!
        if chance(0.15), let batch = pick(accepted[liar] ?? []) {
            try await replay(batch, by: liar)
            return
        }
        let lie = pick(Lie.allCases)!
        let server = replicas[replicas[liar].server!].store
        let held = try server.vector()
        let own = Set([replicas[liar].store.replicaID] + (try replicas[liar].store.previousIdentities()))
        // Another origin the server holds: an honest replica's, or the server's own.
        let victim = pick(held.entries.keys.filter { !own.contains($0) && $0 != server.replicaID }.sorted())
        let liarSeq = try replicas[liar].store.vector()[replicas[liar].store.replicaID]
        let ownOrigin = replicas[liar].store.replicaID
        do {
            switch lie {
            case .contextAhead:
                let target = victim ?? server.replicaID
                let claimed = held[target] + UInt64.random(in: 1...1_000_000, using: &randomSource)
                try await push(forged(liar, context: [ownOrigin: liarSeq + 1, target: claimed]), by: liar)
            case .ownContextAhead:
                try await push(forged(liar, context: [ownOrigin: liarSeq + 2]), by: liar)
            case .hugeContext:
                var context = [ownOrigin: liarSeq + 1]
                for _ in 0...ChangeBatch.maxContextEntries { context[madeUpOrigin()] = 1 }
                try await push(forged(liar, context: context), by: liar)
            case .foreignRange:
                let target = victim ?? server.replicaID
                let range = CoveredRange(origin: target, after: held[target], through: VersionVector.maxSequence - 1)
                try await push(ChangeBatch(schemaVersion: 1, changes: [], covered: [range], isComplete: true), by: liar)
            case .foreignOrigin, .serverOrigin:
                let target = lie == .serverOrigin ? server.replicaID : (victim ?? server.replicaID)
                let seq = VersionVector.maxSequence - 1
                try await push(forged(liar, origin: target, seq: seq, context: [target: seq]), by: liar)
            case .serverIdentity, .heldIdentity:
                let target = lie == .serverIdentity ? server.replicaID : (victim ?? server.replicaID)
                try await hello(by: liar, presenting: [target], extraOrigins: 0)
            case .oversizedVector:
                try await hello(
                    by: liar,
                    presenting: [],
                    extraOrigins: held.entries.count + SyncServer.vectorMargin + 1
                )
            }
            outcome.failures.append("seed \(seed): \(replicas[liar].name)'s lie '\(lie.rawValue)' was accepted")
        } catch let error as SyncError {
            if error.code != lie.expected {
                outcome.failures.append(
                    "seed \(seed): \(replicas[liar].name)'s lie '\(lie.rawValue)' was refused as \(error.code), "
                        + "expected \(lie.expected): \(error.message)"
                )
            }
        }
        outcome.lies[lie.rawValue, default: 0] += 1
        refusalsSent[replicas[liar].enrollment!.id, default: 0] += 1
    }

    /// A batch of one change of the liar's (or of `origin`), the next it would write, to a
    /// proposal its server holds when there is one.
    private func forged(
        _ liar: Int,
        origin: ReplicaID? = nil,
        seq: UInt64? = nil,
        context: [ReplicaID: UInt64]
    ) throws -> ChangeBatch {
        let store = replicas[liar].store
        let writer = origin ?? store.replicaID
        let next = try seq ?? store.vector()[store.replicaID] + 1
        let server = replicas[replicas[liar].server!].store
        let record =
            try pick(proposals.filter(Set(server.proposals().map(\.id)).contains))
            ?? RecordID.make(millis: replicas[liar].clock.now)
        let change = Change(
            table: "proposal",
            record: record,
            origin: writer,
            seq: next,
            timestamp: HybridTimestamp(wallMillis: replicas[liar].clock.now, counter: 0),
            schemaVersion: store.schema.version,
            fields: ["title": FieldChange(value: .text("إعلان مزور"), context: VersionVector(context))]
        )
        return ChangeBatch(schemaVersion: store.schema.version, changes: [change], covered: [], isComplete: true)
    }

    private func push(_ batch: ChangeBatch, by liar: Int) async throws {
        _ = try await policy(of: liar).push(batch, from: replicas[liar].enrollment!)
    }

    private func hello(by liar: Int, presenting: [ReplicaID], extraOrigins: Int) async throws {
        let store = replicas[liar].store
        var vector = try store.vector()
        for _ in 0..<extraOrigins { vector[madeUpOrigin()] = 1 }
        let request = HelloRequest(
            replica: store.replicaID,
            previousIdentities: (try store.previousIdentities()) + presenting,
            vector: vector,
            schemaVersion: store.schema.version
        )
        _ = try await policy(of: liar).hello(request, from: replicas[liar].enrollment!)
    }

    /// An origin nobody holds, drawn from the seed so that a run replays the same.
    private func madeUpOrigin() -> ReplicaID {
        let (high, low) = (
            UInt64.random(in: 0...UInt64.max, using: &randomSource),
            UInt64.random(in: 0...UInt64.max, using: &randomSource)
        )
        let hex = String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
        let digits = Array(hex)
        let text =
            "\(String(digits[0..<8]))-\(String(digits[8..<12]))-4\(String(digits[13..<16]))-8\(String(digits[17..<20]))-"
            + String(digits[20..<32])
        return try! ReplicaID(parsing: text)
    }

    /// Pushes an accepted batch again: it must change nothing.
    private func replay(_ batch: ChangeBatch, by liar: Int) async throws {
        let server = replicas[replicas[liar].server!].store
        let digest = try server.digest()
        let response = try await policy(of: liar).push(batch, from: replicas[liar].enrollment!)
        outcome.replays += 1
        if try response.applied != 0 || server.digest() != digest {
            outcome.failures.append(
                "seed \(seed): a replayed batch of \(replicas[liar].name) changed its server (\(response.applied) applied)"
            )
        }
    }

    /// Each server recorded exactly the refusals of the lies sent to it, and none of an honest
    /// replica's requests.
    func checkRefusals() throws {
        for replica in replicas {
            guard let enrollment = replica.enrollment, let server = replica.server else { continue }
            let recorded = try replicas[server].store.enrollment(enrollment.id)?.refusalCount ?? -1
            let sent = refusalsSent[enrollment.id] ?? 0
            if recorded != sent {
                outcome.failures.append(
                    "seed \(seed): \(replicas[server].name) recorded \(recorded) refusal(s) of \(replica.name), "
                        + "which sent \(sent) lie(s)"
                )
            }
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
