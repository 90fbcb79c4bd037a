import Foundation
import Hummingbird
import SyncCore
import WebUI

extension DashboardRoutes {
    /// The columns of `/export.csv`: the open data of each proposal (no author: personal data).
    static let csvHeader = [
        "id", "commune", "created_at", "status", "category", "title", "body", "answer", "supports", "withdrawn",
        "hidden", "conflicts",
    ]

    /// `GET /downloads`, `GET /export.csv` and `GET /export.json` (the canonical export).
    func addExportRoutes(to router: RouterGroup<DashboardContext>) {
        router.get("/downloads") { _, context in
            try context.require(.read)
            let page = context.page
            let main: HTML = """
                \(Layout.heading(page(.downloads), subtitle: HTML(text: page(.downloadsIntro))))
                <div class="grid"><section class="card"><h2>CSV</h2><p>\(page(.csvHint))</p>\
                <p><a class="button primary" href="/export.csv" download>↓ export.csv</a></p></section>
                <section class="card"><h2>JSON</h2><p>\(page(.jsonHint))</p>\
                <p><a class="button primary" href="/export.json" download>↓ export.json</a></p>\
                <p class="muted small">\(page(.digest)): <code>\(try store.digest())</code></p></section></div>
                """
            return respond(.downloads, main, context)
        }
        router.get("/export.json") { _, context in
            try context.require(.read)
            return WebResponse.download(
                try store.exportCanonicalJSON(),
                type: "application/json",
                filename: "essaouira-participation-\(Format.date(SyncClient.systemMillis())).json"
            )
        }
        router.get("/export.csv") { _, context in
            try context.require(.read)
            var text = CSVWriter.record(texts: Self.csvHeader)
            for proposal in try store.proposals() {
                text += CSVWriter.record([
                    .text(proposal.id), .text(proposal.commune), .text(Self.isoTime(proposal.createdAt)),
                    .text(proposal.status), .text(proposal.category ?? ""), .text(proposal.title),
                    .text(proposal.body), .text(proposal.answer ?? ""), .number(Int64(proposal.supportCount)),
                    .flag(proposal.isWithdrawn), .flag(proposal.isHidden),
                    .text(proposal.conflictingFields.joined(separator: ";")),
                ])
            }
            return WebResponse.download(
                Array(text.utf8),
                type: "text/csv; charset=utf-8",
                filename: "essaouira-proposals-\(Format.date(SyncClient.systemMillis())).csv"
            )
        }
    }

    /// A Unix time in milliseconds as ISO 8601 in UTC.
    static func isoTime(_ millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1_000))
    }
}
