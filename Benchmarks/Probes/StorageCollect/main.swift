// The replica database the storage figure measures, and its collection: `build N PATH` writes
// N proposals (about 1.1 KB of Arabic each) through the engine, edits each three times (title
// and status each time: the first two edits end superseded whole),
// adds one comment per proposal, edits each comment once and deletes every fourth (a tombstone
// that erases the body and keeps a placeholder). `collect PATH DAYS` then runs collection passes
// over the whole change log, and VACUUM.
// Usage: StorageCollect build N PATH | StorageCollect collect PATH DAYS
import Foundation
import SyncCore

let arguments = Array(CommandLine.arguments.dropFirst())
let body = String(
    repeating:
        "نقترح إعادة تهيئة ساحة مولاي الحسن بإحداث ممرات آمنة للراجلين وتوفير مقاعد عمومية وإنارة موفرة للطاقة. ",
    count: 6
)
let chunk = 5_000

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func build(count: Int, path: String) throws {
    let store = try ReplicaStore(path: path, durability: .normal)
    let clock = ContinuousClock()
    let started = clock.now
    var proposals: [String] = []
    for start in stride(from: 0, to: count, by: chunk) {
        proposals += try store.createProposals(
            (start..<min(count, start + chunk)).map { index in
                ProposalDraft(title: "مقترح رقم \(index)", body: body, category: "urbanisme", commune: "tamanar")
            }
        )
    }
    let edits: [(title: String?, status: String?)] = [
        ("مقترح معدل", "in-review"), ("مقترح معدل مرة ثانية", "accepted"), ("مقترح نهائي", "done"),
    ]
    for (round, edit) in edits.enumerated() {
        for start in stride(from: 0, to: count, by: chunk) {
            try store.write(
                proposals[start..<min(count, start + chunk)].map { id in
                    var values: [String: FieldValue] = [:]
                    if let title = edit.title { values["title"] = .text("\(title) \(round) \(id.suffix(6))") }
                    if let status = edit.status { values["status"] = .text(status) }
                    return RecordWrite(table: "proposal", record: id, values: values, mustExist: true)
                }
            )
        }
    }
    var comments: [String] = []
    for start in stride(from: 0, to: count, by: chunk) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let writes = proposals[start..<min(count, start + chunk)].map { proposal in
            RecordWrite(
                table: "comment",
                record: RecordID.make(millis: now),
                values: [
                    "proposal_id": .text(proposal), "depth": .integer(1), "alignment": .text("for"),
                    "created_at": .integer(now), "body": .text("أوافق على هذا المقترح وأقترح إضافة حاويات للنفايات."),
                ],
                isNew: true
            )
        }
        try store.write(writes)
        comments += writes.map(\.record)
    }
    for start in stride(from: 0, to: count, by: chunk) {
        try store.write(
            comments[start..<min(count, start + chunk)].map { id in
                RecordWrite(
                    table: "comment",
                    record: id,
                    values: ["body": .text("أوافق، مع إضافة إنارة.")],
                    mustExist: true
                )
            }
        )
        try store.write(
            comments[start..<min(count, start + chunk)].enumerated().filter { $0.offset.isMultiple(of: 4) }.map {
                RecordWrite(table: "comment", record: $0.element, values: ["deleted": .bool(true)], mustExist: true)
            }
        )
    }
    try store.vacuum()
    print(
        "built \(count) proposals, 3 edits each, \(count) comments (1 edit each, \((count + 3) / 4) deleted) "
            + "in \(String(format: "%.1f", seconds(clock.now - started))) s; digest \(try store.digest())"
    )
}

func collect(path: String, days: Int) throws {
    let store = try ReplicaStore(path: path)
    let digest = try store.digest()
    let vector = try store.vector()
    let clock = ContinuousClock()
    let started = clock.now
    var passes = 0
    var removed = 0
    var position: CollectionPosition?
    repeat {
        let pass = try store.collect(retention: .seconds(Int64(days) * 86_400), after: position)
        passes += 1
        removed += pass.entriesRemoved
        position = pass.next
    } while position != nil
    let collected = clock.now
    try store.vacuum()
    let unchanged = try store.digest() == digest && store.vector() == vector
    print(
        "collection: \(removed) log entries removed in \(passes) passes, \(String(format: "%.1f", seconds(collected - started))) s; "
            + "VACUUM \(String(format: "%.1f", seconds(clock.now - collected))) s; digest and vector unchanged: \(unchanged)"
    )
    if !unchanged { exit(1) }
}

switch (arguments.first, arguments.count) {
case ("build", 3):
    try build(count: Int(arguments[1]) ?? 100_000, path: arguments[2])
case ("collect", 3):
    try collect(path: arguments[1], days: Int(arguments[2]) ?? 0)
default:
    FileHandle.standardError.write(Data("usage: StorageCollect build N PATH | StorageCollect collect PATH DAYS\n".utf8))
    exit(64)
}
