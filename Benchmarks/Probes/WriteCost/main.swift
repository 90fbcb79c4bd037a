import Foundation
import GRDB
import SyncCore

let count = Int(CommandLine.arguments.dropFirst().first ?? "2000") ?? 2000
let full = CommandLine.arguments.contains("full")
let durability: Durability = full ? .full : .normal
func folder() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
let body = String(
    repeating: "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية. ",
    count: 6
)
let title = "تهيئة ساحة مولاي الحسن"

func replicated() throws -> (Double, Double) {
    let store = try ReplicaStore(path: folder().appendingPathComponent("r.sqlite").path, durability: durability)
    let draft = ProposalDraft(title: title, body: body, category: "urbanisme", commune: "essaouira")
    var ids: [String] = []
    let start = Date()
    for _ in 0..<count { ids.append(try store.createProposal(draft)) }
    let created = Date()
    for (i, id) in ids.enumerated() { try store.editProposal(id, ProposalEdit(title: "t\(i)")) }
    let edited = Date()
    return (
        created.timeIntervalSince(start) / Double(count) * 1e6, edited.timeIntervalSince(created) / Double(count) * 1e6
    )
}

func plain() throws -> (Double, Double) {
    var configuration = Configuration()
    configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(full ? "FULL" : "NORMAL")") }
    let pool = try DatabasePool(path: folder().appendingPathComponent("p.sqlite").path, configuration: configuration)
    // The pool sets synchronous = NORMAL when it turns WAL on, after prepareDatabase: set it again.
    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(full ? "FULL" : "NORMAL")") }
    try pool.write { db in
        try db.execute(
            sql:
                "CREATE TABLE proposal (id TEXT PRIMARY KEY NOT NULL, title TEXT, body TEXT, category TEXT, status TEXT, answer TEXT, commune TEXT, author TEXT, created_at INTEGER, withdrawn INTEGER, hidden INTEGER)"
        )
        // The application's index, as the replicated table has it (the pages filter by commune).
        try db.execute(sql: "CREATE INDEX proposal_commune ON proposal(commune)")
    }
    var ids: [String] = []
    let start = Date()
    for _ in 0..<count {
        let id = RecordID.make()
        try pool.write { db in
            try db.cachedStatement(
                sql:
                    "INSERT INTO proposal(id, title, body, category, status, commune, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            )
            .execute(arguments: [
                id, title, body, "urbanisme", "submitted", "essaouira", Int64(Date().timeIntervalSince1970 * 1000),
            ])
        }
        ids.append(id)
    }
    let created = Date()
    for (i, id) in ids.enumerated() {
        try pool.write { db in
            try db.cachedStatement(sql: "UPDATE proposal SET title = ? WHERE id = ?").execute(arguments: ["t\(i)", id])
        }
    }
    let edited = Date()
    return (
        created.timeIntervalSince(start) / Double(count) * 1e6, edited.timeIntervalSince(created) / Double(count) * 1e6
    )
}

let which = CommandLine.arguments.contains("plain") ? "plain" : CommandLine.arguments.contains("repl") ? "repl" : "both"
if which != "plain" {
    let r = try replicated()
    print(String(format: "replicated create %.0f us, edit %.0f us (%@)", r.0, r.1, durability.rawValue))
}
if which != "repl" {
    let p = try plain()
    print(String(format: "plain      create %.0f us, edit %.0f us (%@)", p.0, p.1, durability.rawValue))
}
