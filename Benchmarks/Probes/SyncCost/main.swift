// The sync path in one process, without sockets: a replica's proposals pushed to an empty hub,
// then pulled by an empty replica, each batch encoded to JSON and decoded again as the HTTP
// programs do. `Benchmarks/scripts/sync-cost.sh` counts its instructions with callgrind: a run
// stopped after the setup, one stopped after the push and a whole run, so that the differences
// are the push and the pull.
// Usage: SyncCost <proposals> [full|normal] [--batch N] [--foundation] [--stop-after setup|push]
import Foundation
import SyncCore

let arguments = CommandLine.arguments.dropFirst()
let count = Int(arguments.first ?? "5000") ?? 5000
let durability: Durability =
    arguments.contains("normal") ? .normal : .full
let batchLimit = arguments.firstIndex(of: "--batch").flatMap { Int(arguments[$0 + 1]) } ?? 2000
let stopAfter = arguments.firstIndex(of: "--stop-after").map { arguments[$0 + 1] }

func folder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sync-cost-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

let body = String(
    repeating:
        "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية وإنارة موفرة للطاقة. ",
    count: 6
)

/// Wall-clock time per step of the exchange, summed over the batches.
nonisolated(unsafe) var phases: [String: Duration] = [:]

/// Runs one step and adds its time to `phases[name]`.
func timed<Value>(_ name: String, _ body: () async throws -> Value) async rethrows -> Value {
    let start = ContinuousClock.now
    let value = try await body()
    phases[name, default: .zero] += ContinuousClock.now - start
    return value
}

@inline(never)
func measuredPush(from replica: ReplicaStore, to hub: SyncServer) async throws -> (changes: Int, bytes: Int) {
    var changes = 0
    var bytes = 0
    var vector = try await hub.store.vector()
    while true {
        let batch = try await timed("push: read the batch on the replica") {
            try replica.changes(since: vector, limit: batchLimit, excluding: [])
        }
        let request = try await timed("push: encode") { try WireCoding.encode(batch) }
        bytes += request.count
        let decoded = try await timed("push: decode on the hub") {
            try WireCoding.decode(ChangeBatch.self, from: request)
        }
        let response = try await timed("push: apply on the hub") { try await hub.push(decoded) }
        vector = try WireCoding.decode(PushResponse.self, from: try WireCoding.encode(response)).vector
        changes += batch.changes.count
        if batch.isComplete { return (changes, bytes) }
    }
}

@inline(never)
func measuredPull(into replica: ReplicaStore, from hub: SyncServer) async throws -> (changes: Int, bytes: Int) {
    var changes = 0
    var bytes = 0
    while true {
        let pull = PullRequest(vector: try replica.vector(), limit: batchLimit)
        let request = try WireCoding.decode(PullRequest.self, from: try WireCoding.encode(pull))
        let answer = try await timed("pull: read the batch on the hub") { try await hub.pull(request) }
        let encoded = try await timed("pull: encode") { try WireCoding.encode(answer) }
        bytes += encoded.count
        let batch = try await timed("pull: decode on the replica") {
            try WireCoding.decode(ChangeBatch.self, from: encoded)
        }
        try await timed("pull: apply on the replica") { _ = try replica.apply(batch) }
        changes += batch.changes.count
        if batch.isComplete { return (changes, bytes) }
    }
}

/// The measured run.
///
/// The main thread waits for it on a semaphore rather than running the program as an async
/// `main`: valgrind 3.19 crashes in libdispatch's signal thread, which an
/// async `main` parks the main thread in.
func run() async throws {
    let work = folder()
    defer { try? FileManager.default.removeItem(at: work) }
    let source = try ReplicaStore(path: work.appendingPathComponent("a.sqlite").path, durability: durability)
    let hubStore = try ReplicaStore(path: work.appendingPathComponent("hub.sqlite").path, durability: durability)
    let fresh = try ReplicaStore(path: work.appendingPathComponent("b.sqlite").path, durability: durability)
    let hub = SyncServer(store: hubStore)
    for start in stride(from: 0, to: count, by: 5000) {
        let drafts = (start..<min(count, start + 5000)).map { index in
            ProposalDraft(title: "مقترح رقم \(index)", body: body, category: "urbanisme", commune: "tamanar")
        }
        try source.createProposals(drafts)
    }
    if stopAfter == "setup" { return }
    var clock = ContinuousClock.now
    let pushed = try await measuredPush(from: source, to: hub)
    if stopAfter == "push" { return }
    let pushTime = ContinuousClock.now - clock
    clock = ContinuousClock.now
    let pulled = try await measuredPull(into: fresh, from: hub)
    let pullTime = ContinuousClock.now - clock
    func rate(_ n: Int, _ d: Duration) -> String {
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return String(format: "%.3f s, %.0f changes/s", seconds, Double(n) / seconds)
    }
    print(
        "push \(pushed.changes) changes, \(pushed.bytes) bytes: \(rate(pushed.changes, pushTime)) (\(durability.rawValue))"
    )
    print(
        "pull \(pulled.changes) changes, \(pulled.bytes) bytes: \(rate(pulled.changes, pullTime)) (\(durability.rawValue))"
    )
    for (name, time) in phases.sorted(by: { $0.key < $1.key }) {
        print(
            String(
                format: "  %@: %.1f us per change",
                name,
                Double(time.components.attoseconds) / 1e12 / Double(count) + Double(time.components.seconds) * 1e6
                    / Double(count)
            )
        )
    }
    let digests = [try source.digest(), try hubStore.digest(), try fresh.digest()]
    guard Set(digests).count == 1, pushed.changes == count, pulled.changes == count else {
        print("MISMATCH: digests \(digests), pushed \(pushed.changes), pulled \(pulled.changes)")
        exit(1)
    }
}

nonisolated(unsafe) var failure: (any Error)?
let finished = DispatchSemaphore(value: 0)
Task.detached {
    do { try await run() } catch { failure = error }
    finished.signal()
}
finished.wait()
if let failure {
    print("failed: \(failure)")
    exit(1)
}
