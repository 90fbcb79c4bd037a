import Benchmark
import Foundation
import GRDB
import SyncCore

// The in-process parts of a sync, one batch of 500 proposal changes (about 1.1 KB of Arabic each)
// per iteration, each beside its baseline in the same run: the batch's own JSON coder against
// Foundation's coders (the same JSON), and applying the batch to an empty replica against plain
// GRDB prepared inserts of the same rows in one transaction (WAL, synchronous = FULL).

let body = String(
    repeating:
        "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية وإنارة موفرة للطاقة. ",
    count: 6
)

/// The folder of this run's databases; each benchmark empties it when it ends.
let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

func temporaryPath(_ name: String) -> String {
    folder.appendingPathComponent("\(UUID().uuidString)-\(name)").path
}

func emptyFolder() {
    try? FileManager.default.removeItem(at: folder)
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
}

/// A batch of 500 new proposals, as a replica sends it.
func makeBatch() throws -> ChangeBatch {
    let store = try ReplicaStore(path: temporaryPath("source.sqlite"), durability: .normal)
    try store.createProposals(
        (0..<500).map { ProposalDraft(title: "مقترح رقم \($0)", body: body, category: "urbanisme", commune: "tamanar") }
    )
    return try store.changes(since: VersionVector(), limit: 500)
}

func foundationEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 2,
        maxDuration: .seconds(4),
        maxIterations: 200
    )
    let batch = try! makeBatch()
    let json = Data(batch.json())

    Benchmark("SyncPath:encodeBatch500") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(batch.json()) }
    }

    Benchmark("FoundationJSON:encodeBatch500") { benchmark in
        let encoder = foundationEncoder()
        for _ in benchmark.scaledIterations { blackHole(try encoder.encode(batch)) }
    }

    Benchmark("SyncPath:decodeBatch500") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try ChangeBatch(json: json)) }
    }

    Benchmark("FoundationJSON:decodeBatch500") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try JSONDecoder().decode(ChangeBatch.self, from: json)) }
    }

    // One batch per iteration, each into a fresh database created before the measurement starts.
    Benchmark(
        "SyncPath:applyBatch500",
        configuration: .init(maxIterations: 40),
        closure: { benchmark in
            let store = try ReplicaStore(path: temporaryPath("target.sqlite"))
            benchmark.startMeasurement()
            blackHole(try store.apply(batch))
        },
        teardown: { emptyFolder() }
    )

    Benchmark(
        "PlainGRDB:insertRows500",
        configuration: .init(maxIterations: 40),
        closure: { benchmark in try plainInsertRows(batch, benchmark) },
        teardown: { emptyFolder() }
    )
}

/// Inserts the batch's rows with a cached prepared statement, in one transaction, into a fresh
/// database with every commit synced (as the store's default).
func plainInsertRows(_ batch: ChangeBatch, _ benchmark: Benchmark) throws {
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let pool = try DatabasePool(path: temporaryPath("plain.sqlite"), configuration: configuration)
    // The pool sets synchronous = NORMAL when it turns WAL on, after prepareDatabase: set it again.
    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    try pool.write { db in
        try db.execute(
            sql: """
                CREATE TABLE proposal (id TEXT PRIMARY KEY NOT NULL, title TEXT, body TEXT, category TEXT,
                status TEXT, commune TEXT, created_at INTEGER);
                CREATE INDEX proposal_commune ON proposal(commune)
                """
        )
    }
    benchmark.startMeasurement()
    try pool.write { db in
        let insert = try db.cachedStatement(
            sql:
                "INSERT INTO proposal(id, title, body, category, status, commune, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        for change in batch.changes {
            let fields = change.fields
            try insert.execute(arguments: [
                change.record, fields["title"]?.value.text, fields["body"]?.value.text,
                fields["category"]?.value.text, fields["status"]?.value.text, fields["commune"]?.value.text,
                fields["created_at"]?.value.integer,
            ])
        }
    }
}
