import Foundation
import Hummingbird
import SyncCore
import WebUI

extension DashboardRoutes {
    /// A clock further than this from the hub's is flagged: the drift bound the hub applies.
    static let clockWarningMillis = HybridLogicalClock.defaultMaxDriftMillis

    /// `GET /replicas` (admin): each enrolled replica, how far behind it is, its clock and digest.
    func addReplicaRoutes(to router: RouterGroup<DashboardContext>) {
        router.get("/replicas") { _, context in
            try context.require(.admin)
            let page = context.page
            let enrollments = try store.enrollments()
            let now = SyncClient.systemMillis()
            let versions = try store.replicaVersions()
            let rows = try enrollments.map { try replicaRow($0, now: now, page, versions: versions[$0.id]) }
            let upgrades = enrollments.filter { upgradeNeeded($0, versions[$0.id]) }.count
            let behind = try enrollments.filter { try lag(of: $0) > 0 && $0.revokedAt == nil }.count
            let clocks = enrollments.filter { abs($0.clockOffsetMillis ?? 0) > Self.clockWarningMillis }.count
            let refused = enrollments.filter { $0.refusalCount > 0 }.count
            let stats: HTML = """
                <div class="stats"><div class="stat"><strong>\(enrollments.count)</strong><span>\(page(.enrolledReplicas))</span></div>\
                <div class="stat\(behind > 0 ? " warn" : "")"><strong>\(behind)</strong><span>\(page(.replicasBehind))</span></div>\
                <div class="stat\(clocks > 0 ? " bad" : "")"><strong>\(clocks)</strong><span>\(page(.clocksOff))</span></div>\
                <div class="stat\(upgrades > 0 ? " warn" : "")"><strong>\(upgrades)</strong><span>\(page(.toUpgrade))</span></div>\
                <div class="stat\(refused > 0 ? " bad" : "")"><strong>\(refused)</strong><span>\(page(.replicasRefused))</span></div>\
                <div class="stat"><strong><code>\(String(try store.digest().prefix(12)))</code></strong>\
                <span>\(page(.hubDigest))</span></div></div>
                """
            let table: HTML =
                rows.isEmpty
                ? "<p class=\"empty\">\(page(.noReplicas))</p>"
                : """
                <table class="list"><thead><tr><th>\(page(.replica))</th><th>\(page(.commune))</th>\
                <th>\(page(.lastSync))</th><th class="num">\(page(.lag))</th><th>\(page(.clock))</th>\
                <th>\(page(.digest))</th><th>\(page(.versions))</th><th>\(page(.refusals))</th></tr></thead><tbody>\(rows)</tbody></table>
                """
            let main: HTML = """
                \(Layout.heading(page(.replicas), subtitle: HTML(text: page(.replicasIntro))))\(stats)
                <section class="card flush">\(table)</section>
                """
            return respond(.replicas, main, context)
        }
    }

    private func lag(of enrollment: Enrollment) throws -> Int {
        try store.pendingChangeCount(since: enrollment.lastVector ?? VersionVector())
    }

    private func upgradeNeeded(_ enrollment: Enrollment, _ versions: ReplicaVersions?) -> Bool {
        enrollment.revokedAt == nil && enrollment.lastSyncAt != nil
            && (versions?.isBehind(schema: store.schema.version) ?? true)
    }

    private func replicaRow(
        _ enrollment: Enrollment,
        now: Int64,
        _ page: PageContext,
        versions: ReplicaVersions?
    ) throws -> HTML {
        let lag = try lag(of: enrollment)
        let last: HTML =
            enrollment.lastSyncAt.map {
                "<time>\(Format.dateTime($0))</time><br><small class=\"muted\">\(Format.age($0, now: now, page.language))</small>"
            } ?? "<span class=\"state-unknown\">\(page(.never))</span>"
        let clock: HTML
        if let offset = enrollment.clockOffsetMillis {
            clock =
                abs(offset) > Self.clockWarningMillis
                ? "<span class=\"badge danger\">⚠ \(Format.offset(offset, page.language))</span><br><small>\(page(.clockWarning))</small>"
                : "<span class=\"state-ok\">\(Format.offset(offset, page.language))</span>"
        } else {
            clock = "<span class=\"state-unknown\">\(page(.unknown))</span>"
        }
        // A relay (a provincial hub) holds its province only: its digest is not compared.
        let digest: HTML =
            switch enrollment.lastDigestMatched {
            case _ where enrollment.kind == .relay: "<span class=\"badge muted\">\(page(.filtered))</span>"
            case true?: "<span class=\"badge ok\">✓ \(page(.matched))</span>"
            case false?: "<span class=\"badge warn\">✗ \(page(.differs))</span>"
            case nil: "<span class=\"state-unknown\">\(page(.unknown))</span>"
            }
        let revoked: HTML = .when(enrollment.revokedAt != nil, Badge.label(page(.revoked), style: "muted"))
        let refusals: HTML =
            enrollment.refusalCount == 0
            ? "0"
            : """
            <span class="badge danger">\(enrollment.refusalCount)</span><br>\
            <small>\(page(.lastRefusal)) \(enrollment.lastRefusalAt.map { Format.dateTime($0) } ?? ""):</small><br>\
            <small dir="ltr"><code>\(enrollment.lastRefusal ?? "")</code></small><br><small>\(page(.refusalHint))</small>
            """
        return """
            <tr><td data-label="\(page(.replica))"><strong dir="auto">\(enrollment.label)</strong> \(revoked)<br>\
            <code title="\(enrollment.id)">\(Format.shortID(enrollment.id))</code></td>\
            <td data-label="\(page(.commune))">\(Badge.commune(enrollment.commune, page.language))</td>\
            <td data-label="\(page(.lastSync))">\(last)</td>\
            <td class="num" data-label="\(page(.lag))">\(lag > 0 ? HTML("<span class=\"badge warn\">\(lag)</span>") : HTML("0"))</td>\
            <td data-label="\(page(.clock))">\(clock)</td><td data-label="\(page(.digest))">\(digest)</td>\
            <td data-label="\(page(.versions))">\(versionCell(enrollment, versions, page))</td>\
            <td data-label="\(page(.refusals))">\(refusals)</td></tr>
            """
    }

    /// A replica's schema version and release, flagged when it must upgrade.
    private func versionCell(_ enrollment: Enrollment, _ versions: ReplicaVersions?, _ page: PageContext) -> HTML {
        guard enrollment.lastSyncAt != nil else { return "<span class=\"state-unknown\">\(page(.unknown))</span>" }
        let schema = versions.map { "\(page(.schemaVersion)) \($0.schemaVersion)" } ?? page(.schemaVersion) + " ?"
        let text = HTML(text: "\(schema) · \(versions?.programVersion ?? "< 0.2.0")")
        guard upgradeNeeded(enrollment, versions) else { return "<span class=\"state-ok\">\(text)</span>" }
        return "\(text)<br><span class=\"badge warn\">⬆ \(page(.mustUpgrade))</span>"
    }
}

// The texts of the replicas' versions, Arabic then French.
extension Localized {
    static let versions = Localized(ar: "الإصدار", fr: "Version")
    static let schemaVersion = Localized(ar: "المخطط", fr: "schéma")
    static let toUpgrade = Localized(ar: "نسخ يجب تحديثها", fr: "Répliques à mettre à jour")
    static let mustUpgrade = Localized(ar: "يجب التحديث", fr: "à mettre à jour")
}
