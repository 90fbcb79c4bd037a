import Foundation
package import Hummingbird

/// Whether a request reached the program over HTTPS: served with TLS directly
/// (`--tls-cert`), or through a TLS-terminating proxy that says so (`--behind-https-proxy`,
/// trusting its `X-Forwarded-Proto: https`).
///
/// Over HTTPS, cookies are marked `Secure` and responses carry `Strict-Transport-Security`.
/// `X-Forwarded-Proto` is trusted only when the operator said a proxy is in front: otherwise
/// any client could send it.
package struct HTTPSPolicy: Sendable, Hashable {
    /// How long browsers remember to use HTTPS only: one year.
    package static let strictTransportSecurity = "max-age=31536000"

    /// The listener serves TLS itself.
    package var servesTLS: Bool
    /// A TLS-terminating proxy is in front, and its `X-Forwarded-Proto` is believed.
    package var behindHTTPSProxy: Bool

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - servesTLS: The listener serves TLS itself.
    ///   - behindHTTPSProxy: A TLS-terminating proxy is in front.
    package init(servesTLS: Bool = false, behindHTTPSProxy: Bool = false) {
        self.servesTLS = servesTLS
        self.behindHTTPSProxy = behindHTTPSProxy
    }

    /// Whether this request came over HTTPS.
    ///
    /// - Parameter request: The request.
    /// - Returns: `true` with TLS served directly, or behind the proxy when it forwarded `https`.
    package func isHTTPS(_ request: Request) -> Bool {
        if servesTLS { return true }
        guard behindHTTPSProxy, let value = request.headers[.init("X-Forwarded-Proto")!] else { return false }
        // A chain of proxies lists one value each; the first is the client's.
        let first = value.split(separator: ",").first?.trimmingCharacters(in: .whitespaces).lowercased()
        return first == "https"
    }
}

/// Adds `Strict-Transport-Security` to every response of a request that came over HTTPS.
package struct StrictTransportSecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    /// When a request came over HTTPS.
    package let policy: HTTPSPolicy

    /// Creates the middleware.
    ///
    /// - Parameter policy: When a request came over HTTPS.
    package init(policy: HTTPSPolicy) {
        self.policy = policy
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard policy.isHTTPS(request) else { return try await next(request, context) }
        do {
            var response = try await next(request, context)
            response.headers[.strictTransportSecurity] = HTTPSPolicy.strictTransportSecurity
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[.strictTransportSecurity] = HTTPSPolicy.strictTransportSecurity
            return response
        }
    }
}
