// Merge throughput: N proposals written on one replica, then applied as remote changes to an
// empty replica (batches of 5,000, decoded from their JSON first and timed apart), three ways:
// durable on disk (synchronous = FULL), on disk with synchronous = NORMAL, and NORMAL on a
// memory file system (/dev/shm), which separates the cost of the disk from the engine's.
// `Benchmarks/scripts/merge-throughput.sh` runs it beside pycrdt and loro doing the same.
// Usage: MergeCost <proposals>
import Foundation
import SyncCore

let count = Int(CommandLine.arguments.dropFirst().first ?? "100000") ?? 100_000
let body = String(
    repeating:
        "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية وإنارة موفرة للطاقة. ",
    count: 6
)

func folder(in parent: URL) -> URL {
    let url = parent.appendingPathComponent("merge-cost-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let disk = folder(in: FileManager.default.temporaryDirectory)
let memory = folder(in: URL(fileURLWithPath: "/dev/shm"))
defer {
    try? FileManager.default.removeItem(at: disk)
    try? FileManager.default.removeItem(at: memory)
}
let source = try ReplicaStore(path: disk.appendingPathComponent("source.sqlite").path, durability: .normal)
for start in stride(from: 0, to: count, by: 5000) {
    try source.createProposals(
        (start..<min(count, start + 5000)).map { index in
            ProposalDraft(title: "مقترح رقم \(index)", body: body, category: "urbanisme", commune: "tamanar")
        }
    )
}
var wire: [[UInt8]] = []
var vector = VersionVector()
while true {
    let batch = try source.changes(since: vector, limit: 5000)
    wire.append(batch.json())
    for range in batch.covered { vector[range.origin] = range.through }
    if batch.isComplete { break }
}
let clock = ContinuousClock()
var batches: [ChangeBatch] = []
let decoding = try clock.measure { batches = try wire.map { try ChangeBatch(json: $0) } }
print(String(format: "decode %d changes from JSON: %.3f s", count, seconds(decoding)))
for (name, parent, durability) in [
    ("disk, synchronous=FULL", disk, Durability.full), ("disk, synchronous=NORMAL", disk, .normal),
    ("/dev/shm, synchronous=NORMAL", memory, .normal),
] {
    let target = try ReplicaStore(
        path: folder(in: parent).appendingPathComponent("t.sqlite").path,
        durability: durability
    )
    var applied = 0
    let elapsed = try clock.measure {
        for batch in batches { applied += try target.apply(batch).applied }
    }
    guard applied == count, try target.digest() == source.digest() else {
        print("MISMATCH: applied \(applied) of \(count)")
        exit(1)
    }
    print(
        String(
            format: "apply %d changes (%@): %.3f s, %.0f changes/s",
            count,
            name,
            seconds(elapsed),
            Double(count) / seconds(elapsed)
        )
    )
}
