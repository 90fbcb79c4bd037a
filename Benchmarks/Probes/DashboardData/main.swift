// The hub database the dashboard figures measure: `DashboardData PATH N` writes, through the
// engine, N proposals over the three seed communes (four categories, four statuses, one in
// three answered), three comments per proposal and up to four supports per proposal, in
// transactions of 5,000 records, into a hub file (32 KiB pages).
// Usage: DashboardData PATH N
import Foundation
import SyncCore

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 2, let count = Int(arguments[1]), count > 0 else {
    FileHandle.standardError.write(Data("usage: DashboardData PATH N\n".utf8))
    exit(64)
}
let path = arguments[0]
let communes = ["essaouira", "ounagha", "tamanar"]
let categories = ["eau", "urbanisme", "education", "sante"]
let statuses = ["submitted", "in-review", "accepted", "rejected"]
let body = String(
    repeating: "نقترح إعادة تهيئة ساحة المدينة بإحداث ممرات آمنة للراجلين وإنارة موفرة للطاقة. ",
    count: 4
)
let chunk = 5_000
let store = try ReplicaStore(path: path, durability: .normal, pageSize: ReplicaStore.hubPageSize)
let started = ContinuousClock.now
var proposals: [String] = []
for start in stride(from: 0, to: count, by: chunk) {
    proposals += try store.createProposals(
        (start..<min(count, start + chunk)).map { index in
            ProposalDraft(
                title: index % 2 == 0 ? "مقترح رقم \(index)" : "Proposition n° \(index)",
                body: body,
                category: categories[index % categories.count],
                commune: communes[index % communes.count],
                place: index % 5 == 0 ? "Douar Aït \(index % 97)" : nil
            )
        }
    )
}
for start in stride(from: 0, to: count, by: chunk) {
    try store.write(
        proposals[start..<min(count, start + chunk)].enumerated().map { offset, id in
            let index = start + offset
            var values: [String: FieldValue] = ["status": .text(statuses[index % statuses.count])]
            if index % 3 == 0 { values["answer"] = .text("جواب رسمي على المقترح \(index)") }
            return RecordWrite(table: "proposal", record: id, values: values, mustExist: true)
        }
    )
}
let alignments = ["for", "neutral", "against"]
for start in stride(from: 0, to: count * 3, by: chunk) {
    let now = Int64(Date().timeIntervalSince1970 * 1000)
    try store.write(
        (start..<min(count * 3, start + chunk)).map { index in
            RecordWrite(
                table: "comment",
                record: RecordID.make(millis: now),
                values: [
                    "proposal_id": .text(proposals[index / 3]), "depth": .integer(1),
                    "alignment": .text(alignments[index % 3]), "created_at": .integer(now),
                    "body": .text("تعليق رقم \(index): أوافق على هذا المقترح مع بعض الملاحظات."),
                ],
                isNew: true
            )
        }
    )
}
var supports = 0
for (index, id) in proposals.enumerated() where index % 4 != 3 {
    for citizen in 0..<(index % 4 + 1) {
        try store.addSupport(proposal: id, citizen: "citizen-\(index)-\(citizen)")
        supports += 1
        if supports >= count { break }
    }
    if supports >= count { break }
}
let elapsed = ContinuousClock.now - started
print("\(count) proposals, \(count * 3) comments, \(supports) supports written in \(elapsed)")
