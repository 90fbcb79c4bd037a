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
            let week: Int64 = 7 * 86_400_000
            let current = Format.weekStart(SyncClient.systemMillis())
            let starts = (0..<Self.chartWeeks).reversed().map {
                Format.weekStart(current - Int64($0) * week + week / 2)
            }
            // Each week runs to the next one's start (a week of daylight-saving change is not 7 days).
            let ends = starts.dropFirst() + [Format.weekStart(current + week + week / 2)]
            let figures = try store.proposalStatistics(periods: zip(starts, ends).map { $0..<$1 }, top: 8)
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
                    values: figures.byCommuneAndStatus[commune] ?? [:]
                )
            }
            let weekly = Charts.columns(
                weeks(figures.createdPerPeriod, starts: starts),
                series: communeSeries,
                title: page(.activityPerWeek),
                rtl: rtl
            )
            let main: HTML = """
                \(Layout.heading(page(.charts), subtitle: HTML(text: page(.chartsIntro))))\(totals(figures, page))
                <div class="grid"><section class="card"><h2>\(page(.perCommuneAndStatus))</h2>\
                \(Charts.horizontal(perCommune, series: statusSeries, title: page(.perCommuneAndStatus), rtl: rtl))\
                \(Charts.legend(statusSeries))</section>
                <section class="card"><h2>\(page(.activityPerWeek))</h2>\(weekly)\(Charts.legend(communeSeries))</section></div>
                <div class="grid"><section class="card"><h2>\(page(.mostSupported))</h2>\
                \(topSupported(figures.mostSupported, rtl: rtl, page))</section>
                <section class="card"><h2>\(page(.supportsPerCommune))</h2>\
                \(Charts.horizontal(supportsPerCommune(figures, page), series: communeSeries, title: page(.supportsPerCommune), rtl: rtl))\
                \(Charts.legend(communeSeries))</section></div>
                """
            return respond(.charts, main, context)
        }
    }

    private func totals(_ figures: ProposalStatistics, _ page: PageContext) -> HTML {
        let items: [(Int, Localized, String)] = [
            (figures.total, .proposals, ""), (figures.supports, .supports, ""), (figures.answered, .answered, ""),
            (figures.contested, .contested, figures.contested > 0 ? " warn" : ""),
        ]
        let cells = items.map { value, label, css -> HTML in
            "<div class=\"stat\(css)\"><strong>\(value)</strong><span>\(page(label))</span></div>"
        }
        return "<div class=\"stats\">\(cells)</div>"
    }

    /// Proposals created per week, by commune, for the weeks starting at `starts`.
    private func weeks(_ counts: [[String: Int]], starts: [Int64]) -> [Charts.Bar] {
        zip(starts, counts).map { start, values in
            Charts.Bar(label: String(Format.date(start).dropFirst(5)), values: values)
        }
    }

    private func supportsPerCommune(_ figures: ProposalStatistics, _ page: PageContext) -> [Charts.Bar] {
        Vocabulary.communes.map { commune in
            Charts.Bar(
                label: Vocabulary.name(commune, page.language),
                values: [commune: figures.supportsByCommune[commune] ?? 0]
            )
        }
    }

    private func topSupported(_ top: [ProposalStatistics.Supported], rtl: Bool, _ page: PageContext) -> HTML {
        guard !top.isEmpty else { return "<p class=\"muted\">\(page(.noSupportsYet))</p>" }
        let bars = top.map { proposal in
            Charts.Bar(label: String(proposal.title.prefix(22)), values: ["supports": proposal.supports])
        }
        let series = [Charts.Series(key: "supports", name: page(.supports))]
        return Charts.horizontal(bars, series: series, title: page(.mostSupported), rtl: rtl)
    }
}
