import Foundation

/// A link of the main navigation.

package struct NavLink: Sendable {
    /// Its text.
    package var label: Localized
    /// Where it goes.
    package var href: String

    package init(_ label: Localized, _ href: String) {
        self.label = label
        self.href = href
    }
}

/// The frame of an application's pages: its name, its navigation, and what the top bar shows on
/// the other side (the account, or the office).
package struct Chrome: Sendable {
    /// The application's name, under the portal's.
    package var appName: Localized
    /// The main navigation.
    package var navigation: [NavLink]
    /// Shown at the end of the top bar.
    package var trailing: HTML

    package init(appName: Localized, navigation: [NavLink], trailing: HTML = .empty) {
        self.appName = appName
        self.navigation = navigation
        self.trailing = trailing
    }
}

/// The HTML document around every page.
package enum Layout {
    /// A whole page.
    ///
    /// - Parameters:
    ///   - title: The page's title (also its first heading's text, in the caller's content).
    ///   - chrome: The application's frame.
    ///   - page: The request's page context.
    ///   - main: The page's content.
    /// - Returns: The document.
    package static func document(title: String, chrome: Chrome, page: PageContext, main: HTML) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="\(page.language.code)" dir="\(page.language.direction)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title) · \(page(.portalName))</title>
        <link rel="stylesheet" href="/assets/app.css">
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
        <script src="/assets/app.js" defer></script>
        </head>
        <body>
        <header class="topbar">
        <div class="brand"><a href="/"><img src="/assets/icon.svg" alt="" width="32" height="32">\
        <span><strong>\(page(.portalName))</strong><small>\(page(chrome.appName))</small></span></a></div>
        <nav class="mainnav" aria-label="\(page(.navigation))">\(navigation(chrome.navigation, page))</nav>
        <div class="trailing">\(chrome.trailing)\
        <a class="lang" href="\(page.otherLanguageHref)" hreflang="\(page.language.other.code)" \
        lang="\(page.language.other.code)">\(page.language.other.name)</a></div>
        </header>
        <main id="main">\(notice(page))\(main)</main>
        <footer class="footer">\(page(.footer))</footer>
        </body>
        </html>
        """
    }

    private static func navigation(_ links: [NavLink], _ page: PageContext) -> HTML {
        HTML(
            links.map { link in
                let current = link.href == "/" ? page.path == "/" : page.path.hasPrefix(link.href)
                return
                    "<a href=\"\(link.href)\"\(HTML.attribute("aria-current=\"page\"", if: current))>\(page(link.label))</a>"
            }
        )
    }

    /// The confirmation of the last action, named by `?done=` after a redirect.
    private static func notice(_ page: PageContext) -> HTML {
        guard let done = page.query["done"], let text = Localized.notices[done] else { return .empty }
        return "<p class=\"notice\" role=\"status\">\(page(text))</p>"
    }

    /// The heading block of a page: a title and an optional line under it.
    package static func heading(_ title: String, subtitle: HTML = .empty, actions: HTML = .empty) -> HTML {
        """
        <div class="pagehead"><div><h1 dir="auto">\(title)</h1>\
        \(HTML.when(!subtitle.markup.isEmpty, "<p class=\"subtitle\">\(subtitle)</p>"))</div>\
        \(HTML.when(!actions.markup.isEmpty, "<div class=\"actions\">\(actions)</div>"))</div>
        """
    }

    /// The page of an error.
    package static func error(_ error: WebError, page: PageContext) -> HTML {
        """
        <section class="card error-page"><h1>\(page(error.title))</h1><p>\(page(error.message))</p>\
        \(HTML.when(error.detail != nil, "<p class=\"detail\" dir=\"auto\"><code>\(error.detail)</code></p>"))\
        <p><a class="button" href="/">\(page(.backHome))</a></p></section>
        """
    }
}
