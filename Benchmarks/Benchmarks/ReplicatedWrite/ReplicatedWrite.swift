import Benchmark
import Foundation
import GRDB
import SyncCore

// A replicated proposal write (row, change log, clock, merge metadata, one transaction) against
// a plain GRDB prepared insert of the same row in its own transaction, on the same kind of file
// (WAL, synchronous = FULL), in the same run. Each benchmark starts from an empty database.

let title = "تهيئة ساحة مولاي الحسن وتوفير ممرات للراجلين"
let body = String(
    repeating: "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية. ",
    count: 6
)

func temporaryPath(_ name: String) -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
}

func makePlainPool() throws -> DatabasePool {
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    let pool = try DatabasePool(path: temporaryPath("plain.sqlite"), configuration: configuration)
    // The pool sets synchronous = NORMAL when it turns WAL on, after prepareDatabase: set it again.
    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
    try pool.write { db in
        try db.execute(
            sql: """
                CREATE TABLE proposal (id TEXT PRIMARY KEY NOT NULL, title TEXT, body TEXT, category TEXT, status TEXT,
                answer TEXT, commune TEXT, author TEXT, created_at INTEGER, withdrawn INTEGER, hidden INTEGER);
                CREATE INDEX proposal_commune ON proposal(commune)
                """
        )
    }
    return pool
}

func plainInsert(_ pool: DatabasePool) throws -> String {
    let id = RecordID.make()
    try pool.write { db in
        try db.cachedStatement(
            sql:
                "INSERT INTO proposal(id, title, body, category, status, commune, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            id, title, body, "urbanisme", "submitted", "essaouira", Int64(Date().timeIntervalSince1970 * 1000),
        ])
    }
    return id
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        warmupIterations: 20,
        maxDuration: .seconds(4),
        maxIterations: 3_000
    )

    Benchmark("ReplicatedWrite:createProposal") { benchmark in
        let store = try ReplicaStore(path: temporaryPath("replica.sqlite"))
        let draft = ProposalDraft(title: title, body: body, category: "urbanisme", commune: "essaouira")
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try store.createProposal(draft)) }
    }

    Benchmark("PlainGRDB:insertProposal") { benchmark in
        let pool = try makePlainPool()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(try plainInsert(pool)) }
    }

    Benchmark("ReplicatedWrite:editProposalTitle") { benchmark in
        let store = try ReplicaStore(path: temporaryPath("replica.sqlite"))
        let id = try store.createProposal(ProposalDraft(title: title, body: body, commune: "essaouira"))
        var counter = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            counter += 1
            try store.editProposal(id, ProposalEdit(title: "\(title) \(counter)"))
        }
    }

    Benchmark("PlainGRDB:updateProposalTitle") { benchmark in
        let pool = try makePlainPool()
        let id = try plainInsert(pool)
        var counter = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            counter += 1
            try pool.write { db in
                try db.cachedStatement(sql: "UPDATE proposal SET title = ? WHERE id = ?").execute(arguments: [
                    "\(title) \(counter)", id,
                ])
            }
        }
    }
}
