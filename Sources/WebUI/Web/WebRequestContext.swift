import Foundation
package import Hummingbird

/// What every page request carries besides Hummingbird's own context: the language, the token
/// forms must send back, and the parsed form of a POST.
package struct WebState: Sendable {
    /// The language of the page.
    package var language: Language = .standard
    /// The token every form must send back as `_csrf`; empty until a middleware sets it.
    package var csrfToken = ""
    /// The fields of a POST body, checked against ``csrfToken`` before any route sees them.
    package var form = FormData()
    /// The query of the request.
    package var query = FormData()
    /// The request's path, without the query.
    package var path = "/"
    /// Cookies to send with the response.
    package var cookies: [Cookie] = []
    /// Whether the request came over HTTPS: cookies are then `Secure`.
    package var isSecure = false

    package init() {}
}

/// A request context that serves pages.
package protocol WebRequestContext: RequestContext {
    /// The page state of the request.
    var web: WebState { get set }
}
