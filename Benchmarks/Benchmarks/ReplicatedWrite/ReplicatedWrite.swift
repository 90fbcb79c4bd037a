import Benchmark
import Foundation
import GRDB
import SyncCore

// A replicated proposal write (row, change log, clock, merge metadata, one transaction) against
// a plain GRDB prepared insert of the same row in its own transaction, on the same kind of file
// (WAL, synchronous = FULL), in the same run. Each benchmark opens its database once, in its
// setup, and measures one write per iteration: the steady state of a replica that stays open.
// (The benchmark closure runs once per iteration: a database opened inside it would measure the
// first write after opening, statement preparation included.)

let title = "تهيئة ساحة مولاي الحسن وتوفير ممرات للراجلين"
let body = String(
    repeating: "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية. ",
    count: 6
)

/// The folder of this run's databases, removed when the run ends.
let folder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

func temporaryPath(_ name: String) -> String {
    folder.appendingPathComponent("\(UUID().uuidString)-\(name)").path
}

/// What a benchmark opened in its setup, used by its iterations.
final class Fixture: @unchecked Sendable {
    nonisolated(unsafe) static var store: ReplicaStore?
    nonisolated(unsafe) static var pool: DatabasePool?
    nonisolated(unsafe) static var record = ""
    nonisolated(unsafe) static var counter = 0

    static func reset() {
        store = nil
        pool = nil
        counter = 0
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
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

    Benchmark(
        "ReplicatedWrite:createProposal",
        closure: { _ in
            let draft = ProposalDraft(title: title, body: body, category: "urbanisme", commune: "essaouira")
            blackHole(try Fixture.store!.createProposal(draft))
        },
        setup: { Fixture.store = try ReplicaStore(path: temporaryPath("replica.sqlite")) },
        teardown: { Fixture.reset() }
    )

    Benchmark(
        "PlainGRDB:insertProposal",
        closure: { _ in blackHole(try plainInsert(Fixture.pool!)) },
        setup: { Fixture.pool = try makePlainPool() },
        teardown: { Fixture.reset() }
    )

    Benchmark(
        "ReplicatedWrite:editProposalTitle",
        closure: { _ in
            Fixture.counter += 1
            try Fixture.store!.editProposal(Fixture.record, ProposalEdit(title: "\(title) \(Fixture.counter)"))
        },
        setup: {
            let store = try ReplicaStore(path: temporaryPath("replica.sqlite"))
            Fixture.record = try store.createProposal(ProposalDraft(title: title, body: body, commune: "essaouira"))
            Fixture.store = store
        },
        teardown: { Fixture.reset() }
    )

    Benchmark(
        "PlainGRDB:updateProposalTitle",
        closure: { _ in
            Fixture.counter += 1
            try Fixture.pool!.write { db in
                try db.cachedStatement(sql: "UPDATE proposal SET title = ? WHERE id = ?").execute(arguments: [
                    "\(title) \(Fixture.counter)", Fixture.record,
                ])
            }
        },
        setup: {
            let pool = try makePlainPool()
            Fixture.record = try plainInsert(pool)
            Fixture.pool = pool
        },
        teardown: { Fixture.reset() }
    )
}
