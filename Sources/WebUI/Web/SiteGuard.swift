package import Hummingbird
package import SyncHTTP

/// What the pages of a listener trust about the requests they get: the host names they answer
/// to, and whether they are reached over HTTPS.
///
/// ``WebMiddleware`` uses it to refuse a request for another name (421), a form posted from a
/// page of another site (403), and to mark cookies `Secure` and send `Strict-Transport-Security`
/// over HTTPS.
package struct SiteGuard: Sendable {
    /// The names accepted in `Host`; `nil` accepts any (a hub without `--public-host`).
    package var hosts: AllowedHosts?
    /// When a request came over HTTPS.
    package var https: HTTPSPolicy

    /// Creates a guard.
    ///
    /// - Parameters:
    ///   - hosts: The names accepted in `Host`, or `nil` for any.
    ///   - https: When a request came over HTTPS.
    package init(hosts: AllowedHosts? = nil, https: HTTPSPolicy = HTTPSPolicy()) {
        self.hosts = hosts
        self.https = https
    }

    /// Whether a request's `Host` is one of the names served.
    package func admitsHost(of request: Request) -> Bool {
        hosts?.admits(request.hostAuthority) ?? true
    }

    /// Whether a state-changing request comes from a page of this site.
    ///
    /// Its `Origin` (else its `Referer`) must name the host the request was sent to, or one of
    /// the names served. A request with neither header (a script, an older browser) is left to the anti-forgery token.
    ///
    /// - Parameter request: A POST.
    /// - Returns: `false` when the request comes from another site, or from an opaque origin.
    package func isSameSite(_ request: Request) -> Bool {
        let origin = request.headers[.origin] ?? request.headers[.referer]
        guard let origin else { return true }
        guard let host = AllowedHosts.hostName(ofOrigin: origin) else { return false }
        if let target = request.hostAuthority.flatMap(AllowedHosts.hostName(ofAuthority:)), target == host {
            return true
        }
        return hosts?.names.contains(host) ?? false
    }
}
