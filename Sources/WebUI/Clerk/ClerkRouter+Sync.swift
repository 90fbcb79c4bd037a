import Foundation
import Hummingbird
import SyncCore

extension ClerkRouter {
    /// The sync status and the "sync now" button.
    func addSyncRoutes(to router: Router<ClerkContext>) {
        router.get("/sync") { _, context in
            respond(.syncStatus, try syncPage(result: nil, context.page), context)
        }
        router.post("/sync") { _, context in
            let attempt = await hooks.synchronize()
            return respond(.syncStatus, try syncPage(result: attempt, context.page), context)
        }
    }

    private func syncPage(result: SyncAttempt?, _ page: PageContext) throws -> HTML {
        let hub = hooks.hubName()
        let peer = try hub.flatMap { try store.peerStatus($0) }
        let pending = try store.pendingChangeCount(since: peer?.vector ?? VersionVector())
        let now = SyncClient.systemMillis()
        let last: HTML =
            peer?.lastSyncAt.map {
                "<time>\(Format.dateTime($0))</time> <small class=\"muted\">(\(Format.age($0, now: now, page.language)))</small>"
            }
            ?? "<span class=\"state-unknown\">\(page(.never))</span>"
        let matched: HTML =
            switch peer?.digestMatched {
            case true?: "<span class=\"state-ok\">✓ \(page(.yes))</span>"
            case false?: "<span class=\"state-bad\">✗ \(page(.no))</span>"
            case nil: "<span class=\"state-unknown\">\(page(.unknown))</span>"
            }
        let stats: HTML = """
            <div class="stats"><div class="stat\(pending > 0 ? " warn" : "")"><strong>\(pending)</strong>\
            <span>\(page(.pendingChanges))</span></div>\
            <div class="stat"><strong>\(try store.conflicts().count)</strong><span>\(page(.openConflicts))</span></div></div>
            """
        let details: HTML = """
            <table class="list compact"><tbody>
            <tr><th>\(page(.hub))</th><td><code>\(hub ?? page(.notSetUp))</code></td></tr>
            <tr><th>\(page(.lastSync))</th><td>\(last)</td></tr>
            <tr><th>\(page(.digestMatched))</th><td>\(matched)</td></tr>
            <tr><th>\(page(.replicaID))</th><td><code>\(store.replicaID.rawValue)</code></td></tr>
            </tbody></table>
            """
        let button: HTML = "<button type=\"submit\" class=\"button primary\">↻ \(page(.syncNow))</button>"
        return """
            \(Layout.heading(page(.syncStatus), subtitle: HTML(text: page(.syncHint))))
            \(result.map { outcome($0, page) } ?? .empty)\(stats)
            <section class="card">\(details)</section>
            <section class="card"><p class="muted">\(page(.syncNowHint))</p>\(page.form("/sync", class: "inline", button))</section>
            """
    }

    private func outcome(_ attempt: SyncAttempt, _ page: PageContext) -> HTML {
        switch attempt {
        case .synced(let report):
            let summary = page(.syncedSummary).replacingOccurrences(of: "%1", with: "\(report.pushed)")
                .replacingOccurrences(of: "%2", with: "\(report.pulled)")
            let digest = page(report.digestsMatch ? .digestsMatch : .digestsDiffer)
            return "<p class=\"notice\" role=\"status\">✓ \(summary) \(digest)</p>"
        case .unreachable(let message):
            return """
                <div class="alert danger" role="alert"><strong>\(page(.hubUnreachable))</strong> \(page(.hubUnreachableHint))\
                <br><small dir="auto">\(message)</small></div>
                """
        case .failed(let message):
            return
                "<div class=\"alert danger\" role=\"alert\"><strong>\(page(.syncFailed))</strong><br><small dir=\"auto\">\(message)</small></div>"
        case .notSetUp(let message):
            return
                "<div class=\"alert\" role=\"alert\"><strong>\(page(.notSetUp))</strong><br><small dir=\"auto\">\(message)</small></div>"
        }
    }
}
