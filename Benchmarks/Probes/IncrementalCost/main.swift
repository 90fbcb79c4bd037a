// Incremental sync when replica and hub each hold many rows, against the same sync on empty
// databases, in one process with real SQLite files (durable, synchronous = FULL) and the
// messages coded to JSON and back as over HTTP: hello (vector and digest), push of the new
// changes, pull (nothing to receive), closing hello. Also the bytes of the pushed batch against
// the raw size of the fields it carries.
// Usage: IncrementalCost [rows] [changes] [rounds] (defaults 1000000 10 15)
import Foundation
import SyncCore

let arguments = Array(CommandLine.arguments.dropFirst())
let rows = arguments.count > 0 ? Int(arguments[0]) ?? 1_000_000 : 1_000_000
let changeCount = arguments.count > 1 ? Int(arguments[1]) ?? 10 : 10
let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 15 : 15
let body = String(
    repeating:
        "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية وإنارة موفرة للطاقة. ",
    count: 6
)
let work = FileManager.default.temporaryDirectory.appendingPathComponent("incremental-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }

func draft(_ index: Int) -> ProposalDraft {
    ProposalDraft(title: "مقترح رقم \(index)", body: body, category: "urbanisme", commune: "tamanar")
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func decode<Value: Decodable>(_ type: Value.Type, _ value: some Encodable) throws -> Value {
    try JSONDecoder().decode(type, from: try JSONEncoder().encode(value))
}

final class Pair {
    let replica: ReplicaStore
    let hub: SyncServer

    init(_ name: String, rows: Int) async throws {
        replica = try ReplicaStore(path: work.appendingPathComponent("\(name)-replica.sqlite").path)
        hub = SyncServer(store: try ReplicaStore(path: work.appendingPathComponent("\(name)-hub.sqlite").path))
        for start in stride(from: 0, to: rows, by: 5000) {
            try replica.createProposals((start..<min(rows, start + 5000)).map(draft))
        }
        _ = try await sync()
    }

    /// The pushed JSON of the last exchange, for the script to measure it compressed.
    var lastPushed: [UInt8] = []

    /// One exchange as the replica's client runs it; returns the bytes of the pushed batches.
    func sync() async throws -> Int {
        let hello = HelloRequest(
            replica: replica.replicaID,
            vector: try replica.vector(),
            digest: try replica.digest(),
            schemaVersion: replica.schema.version
        )
        var vector = try decode(HelloResponse.self, try await hub.hello(try decode(HelloRequest.self, hello))).vector
        var bytes = 0
        while true {
            let batch = try replica.changes(since: vector, limit: 2000)
            let json = batch.json()
            bytes += json.count
            lastPushed = json
            vector = try decode(PushResponse.self, try await hub.push(try ChangeBatch(json: json))).vector
            if batch.isComplete { break }
        }
        while true {
            let request = try decode(PullRequest.self, PullRequest(vector: try replica.vector(), limit: 2000))
            let batch = try ChangeBatch(json: try await hub.pull(request).json())
            try replica.apply(batch)
            if batch.isComplete { break }
        }
        let closing = HelloRequest(
            replica: replica.replicaID,
            vector: try replica.vector(),
            digest: try replica.digest(),
            schemaVersion: replica.schema.version
        )
        let answer = try decode(HelloResponse.self, try await hub.hello(try decode(HelloRequest.self, closing)))
        guard answer.digest == closing.digest else { fatalError("digests differ after the exchange") }
        return bytes
    }
}

let clock = ContinuousClock()
var setup = Duration.zero
var pairs: [(String, Pair)] = []
let setupStart = clock.now
pairs = [("empty", try await Pair("empty", rows: 0)), ("\(rows) rows", try await Pair("large", rows: rows))]
setup = clock.now - setupStart
print(String(format: "setup (%d rows written and pushed): %.1f s", rows, seconds(setup)))

// Titles of the sample proposals (one per line, from the script), for edits of a realistic size.
let sampleTitles: [String] =
    ProcessInfo.processInfo.environment["INCREMENTAL_TITLES"].map { path in
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    } ?? []

for kind in ["new proposals", "title edits"] + (sampleTitles.isEmpty ? [] : ["sample title edits"]) {
    var medians: [Double] = []
    for (name, pair) in pairs {
        var ids = try pair.replica.createProposals((0..<changeCount).map(draft))
        _ = try await pair.sync()
        var times: [Double] = []
        var bytes = 0
        var raw = 0
        for round in 0..<rounds {
            if kind == "new proposals" {
                ids = try pair.replica.createProposals((0..<changeCount).map { draft(rows + round * changeCount + $0) })
            } else if kind == "title edits" {
                for id in ids { try pair.replica.editProposal(id, ProposalEdit(title: "عنوان \(round)")) }
            } else {
                for (i, id) in ids.enumerated() {
                    let title = sampleTitles[(round * ids.count + i) % sampleTitles.count]
                    try pair.replica.editProposal(id, ProposalEdit(title: "\(title) \(round)"))
                }
            }
            let pending = try await pair.replica.changes(since: try await pair.hub.store.vector(), limit: 2000)
            raw = pending.changes.reduce(0) { total, change in
                total
                    + change.fields.values.reduce(0) { sum, field in
                        switch field.value {
                        case .null: sum
                        case .integer: sum + 8
                        case .text(let text): sum + text.utf8.count
                        }
                    }
            }
            let start = clock.now
            bytes = try await pair.sync()
            times.append(seconds(clock.now - start))
        }
        let median = times.sorted()[times.count / 2]
        medians.append(median)
        print(
            String(
                format:
                    "%@, %d %@: median %.2f ms over %d syncs; pushed %d JSON bytes for %d raw bytes of fields (%.2fx)",
                name,
                changeCount,
                kind,
                median * 1000,
                rounds,
                bytes,
                raw,
                Double(bytes) / Double(raw)
            )
        )
    }
    if let folder = ProcessInfo.processInfo.environment["INCREMENTAL_BODIES"] {
        // The last pushed body of each kind, for the script to gzip as HTTPSyncTransport does.
        let file = URL(fileURLWithPath: folder).appendingPathComponent(kind.replacingOccurrences(of: " ", with: "-"))
        try Data(pairs[0].1.lastPushed).write(to: file)
    }
    print(String(format: "%@: large / empty = %.2fx (target at most 1.2x)", kind, medians[1] / medians[0]))
}
