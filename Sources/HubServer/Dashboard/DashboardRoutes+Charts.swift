import Foundation
import Hummingbird
import SyncCore
import WebUI

extension DashboardRoutes {
    /// Weeks of activity shown.
    static let chartWeeks = 12

    /// `GET /charts`: proposals per commune and status, activity per week, supports.
    func addChartRoutes(to router: RouterGroup<DashboardContext>) {
        router.get("/charts") { _, context in
            try context.require(.read)
            let page = context.page
            let proposals = try store.proposals()
            let rtl = page.language == .arabic
            let statusSeries = Vocabulary.statuses.map {
                Charts.Series(key: $0, name: Vocabulary.name($0, page.language))
            }
            let communeSeries = Vocabulary.communes.map {
                Charts.Series(key: $0, name: Vocabulary.name($0, page.language))
            }
            let perCommune = Vocabulary.communes.map { commune in
                Charts.Bar(
                    label: Vocabulary.name(commune, page.language),
                    values: Dictionary(grouping: proposals.filter { $0.commune == commune }, by: \.status).mapValues(
                        \.count
                    )
                )
            }
            let weekly = Charts.columns(
                weeks(proposals),
                series: communeSeries,
                title: page(.activityPerWeek),
                rtl: rtl
            )
            let main: HTML = """
                \(Layout.heading(page(.charts), subtitle: HTML(text: page(.chartsIntro))))\(totals(proposals, page))
                <div class="grid"><section class="card"><h2>\(page(.perCommuneAndStatus))</h2>\
                \(Charts.horizontal(perCommune, series: statusSeries, title: page(.perCommuneAndStatus), rtl: rtl))\
                \(Charts.legend(statusSeries))</section>
                <section class="card"><h2>\(page(.activityPerWeek))</h2>\(weekly)\(Charts.legend(communeSeries))</section></div>
                <div class="grid"><section class="card"><h2>\(page(.mostSupported))</h2>\
                \(topSupported(proposals, rtl: rtl, page))</section>
                <section class="card"><h2>\(page(.supportsPerCommune))</h2>\
                \(Charts.horizontal(supportsPerCommune(proposals, page), series: communeSeries, title: page(.supportsPerCommune), rtl: rtl))\
                \(Charts.legend(communeSeries))</section></div>
                """
            return respond(.charts, main, context)
        }
    }

    private func totals(_ proposals: [Proposal], _ page: PageContext) -> HTML {
        let supports = proposals.reduce(0) { $0 + $1.supportCount }
        let answered = proposals.filter { $0.answer != nil }.count
        let contested = proposals.filter { !$0.conflictingFields.isEmpty }.count
        let items: [(Int, Localized, String)] = [
            (proposals.count, .proposals, ""), (supports, .supports, ""), (answered, .answered, ""),
            (contested, .contested, contested > 0 ? " warn" : ""),
        ]
        let cells = items.map { value, label, css -> HTML in
            "<div class=\"stat\(css)\"><strong>\(value)</strong><span>\(page(label))</span></div>"
        }
        return "<div class=\"stats\">\(cells)</div>"
    }

    /// Proposals created per week, by commune, for the last weeks.
    private func weeks(_ proposals: [Proposal]) -> [Charts.Bar] {
        let week: Int64 = 7 * 86_400_000
        let current = Format.weekStart(SyncClient.systemMillis())
        let starts = (0..<Self.chartWeeks).reversed().map { Format.weekStart(current - Int64($0) * week + week / 2) }
        let grouped = Dictionary(grouping: proposals) { Format.weekStart($0.createdAt) }
        return starts.map { start in
            let items = grouped[start] ?? []
            let label = String(Format.date(start).dropFirst(5))
            return Charts.Bar(label: label, values: Dictionary(grouping: items, by: \.commune).mapValues(\.count))
        }
    }

    private func supportsPerCommune(_ proposals: [Proposal], _ page: PageContext) -> [Charts.Bar] {
        Vocabulary.communes.map { commune in
            let total = proposals.filter { $0.commune == commune }.reduce(0) { $0 + $1.supportCount }
            return Charts.Bar(label: Vocabulary.name(commune, page.language), values: [commune: total])
        }
    }

    private func topSupported(_ proposals: [Proposal], rtl: Bool, _ page: PageContext) -> HTML {
        let top = proposals.filter { $0.supportCount > 0 }.sorted { $0.supportCount > $1.supportCount }.prefix(8)
        guard !top.isEmpty else { return "<p class=\"muted\">\(page(.noSupportsYet))</p>" }
        let bars = top.map { proposal in
            Charts.Bar(label: String(proposal.title.prefix(22)), values: ["supports": proposal.supportCount])
        }
        let series = [Charts.Series(key: "supports", name: page(.supports))]
        return Charts.horizontal(Array(bars), series: series, title: page(.mostSupported), rtl: rtl)
    }
}
