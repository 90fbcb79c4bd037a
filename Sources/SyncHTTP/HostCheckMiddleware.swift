import Foundation
package import Hummingbird
import SyncCore

/// Answers `421 Misdirected Request` (JSON error, code `misdirected-request`) to a request whose
/// `Host` is not one of the listener's names, before any route or database work.
package struct HostCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The names accepted.
    package let hosts: AllowedHosts
    /// The option that adds a name, named in the refusal.
    package let option: String

    /// Creates the middleware.
    ///
    /// - Parameters:
    ///   - hosts: The names accepted.
    ///   - option: The command-line option that adds a name.
    package init(hosts: AllowedHosts, option: String) {
        self.hosts = hosts
        self.option = option
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard hosts.admits(request.hostAuthority) else {
            throw MisdirectedRequestError(host: request.hostAuthority, option: option)
        }
        return try await next(request, context)
    }
}

/// The answer to a request for a name this listener does not serve.
package struct MisdirectedRequestError: HTTPResponseError {
    /// The `Host` sent, if any.
    let host: String?
    /// The option that adds a name.
    let option: String

    package var status: HTTPResponse.Status { .misdirectedRequest }

    /// What was wrong and what to do.
    package var message: String {
        guard let host else {
            return "the request has no Host header; send the address of this server in 'Host'"
        }
        let shown = AllowedHosts.hostName(ofAuthority: host).map { String($0.prefix(100)) } ?? "(malformed)"
        return "this server does not answer to the name '\(shown)'; use its address, or add the name with '\(option)'"
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        try jsonErrorResponse(status: status, code: "misdirected-request", message: message)
    }
}
