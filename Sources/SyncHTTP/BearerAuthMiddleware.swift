import Foundation
package import Hummingbird
import Logging
import NIOCore
package import SyncCore

/// Authenticates `Authorization: Bearer <token>` against the enrollment register and puts the
/// enrollment in the request context; a request without a valid credential never reaches a route.
///
/// Requests without a valid credential (missing, malformed, unknown or revoked) are limited per
/// client address: each one takes a request from the address's bucket (``failures``), and once
/// the bucket is empty every request from that address is answered `429` with `Retry-After`
/// and code `rate-limited` before the register is read. Requests with a valid credential take
/// nothing from it (they are limited per credential by ``RateLimitMiddleware``).
package struct BearerAuthMiddleware<Context: SyncRequestContext>: RouterMiddleware {
    /// The default number of requests without a valid credential one address may send a minute.
    package static var defaultFailureLimit: Int { 60 }

    /// The register that checks tokens.
    package let registry: any EnrollmentRegistry
    /// The buckets of requests without a valid credential, per client address.
    package let failures: RateLimiter
    /// Whether the client's address is the last entry of `X-Forwarded-For` (a trusted proxy in
    /// front) rather than the connection's peer.
    package let trustsForwardedFor: Bool
    /// The option that raises the limit, named in the refusal.
    package let option: String
    /// The time origin that readings are taken from.
    let origin = ContinuousClock.now

    /// Creates the middleware.
    ///
    /// - Parameters:
    ///   - registry: The register that checks tokens.
    ///   - failures: The buckets of requests without a valid credential, per client address.
    ///   - trustsForwardedFor: Take the client's address from `X-Forwarded-For` (behind a proxy).
    ///   - option: The command-line option that raises the limit, named in the refusal.
    package init(
        registry: any EnrollmentRegistry,
        failures: RateLimiter = RateLimiter(limit: Self.defaultFailureLimit),
        trustsForwardedFor: Bool = false,
        option: String = "hub-server serve --unauthenticated-rate-limit"
    ) {
        self.registry = registry
        self.failures = failures
        self.trustsForwardedFor = trustsForwardedFor
        self.option = option
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let address = clientAddress(request, context)
        // Before any database work: an address that sent too many bad credentials waits.
        if let wait = failures.wait(address, now: ContinuousClock.now - origin) {
            throw refusal(wait)
        }
        let enrollment: Enrollment
        do {
            enrollment = try await registry.authenticate(token: try Self.bearerToken(in: request.headers))
        } catch let error as SyncError where error.code == .unauthorized {
            _ = failures.admit(address, now: ContinuousClock.now - origin)
            throw error
        }
        var context = context
        context.enrollment = enrollment
        context.logger[metadataKey: "enrollment"] = .string(enrollment.id)
        context.logger[metadataKey: "commune"] = .string(enrollment.commune)
        return try await next(request, context)
    }

    /// The address the limit is kept for: the connection's peer, or the client a trusted proxy
    /// names last in `X-Forwarded-For`.
    private func clientAddress(_ request: Request, _ context: Context) -> String {
        if trustsForwardedFor, let forwarded = request.headers[.init("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last.map({ $0.trimmingCharacters(in: .whitespaces) }),
            !last.isEmpty
        {
            return String(last.prefix(64))
        }
        let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress
        return peer?.ipAddress ?? "unknown"
    }

    private func refusal(_ wait: Duration) -> RateLimitedError {
        let retry = RateLimitedError.seconds(wait)
        return RateLimitedError(
            message: "this address sent more than \(failures.limit) requests without a valid credential in a minute; "
                + "check the token given to 'replica-node init' (or 'sync --token-file'), wait \(retry) s and "
                + "retry, or raise '\(option)'",
            retryAfterSeconds: retry
        )
    }

    /// The token of an `Authorization: Bearer <token>` header.
    ///
    /// - Parameter headers: The request's headers.
    /// - Returns: The token.
    /// - Throws: ``SyncError`` with ``SyncError/Code/unauthorized`` when the header is missing or
    ///   uses another scheme.
    package static func bearerToken(in headers: HTTPFields) throws -> String {
        guard let value = headers[.authorization] else {
            throw SyncError(
                .unauthorized,
                "missing credential; send 'Authorization: Bearer <token>' with the token printed at enrollment "
                    + "('hub-server enroll', or 'replica-node peer add' at a commune office)"
            )
        }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw SyncError(.unauthorized, "the Authorization header must use the Bearer scheme: 'Bearer <token>'")
        }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
