import Foundation
package import Hummingbird
import SyncCore

/// Refuses a credential's requests beyond its per-minute limit with `429 Too Many Requests`,
/// `Retry-After` and the error body (code `rate-limited`).
///
/// It runs after ``BearerAuthMiddleware``, so the limit is per enrollment; requests without a
/// valid credential are refused before they reach it.
package struct RateLimitMiddleware<Context: SyncRequestContext>: RouterMiddleware {
    /// The buckets.
    package let limiter: RateLimiter
    /// The option that raises the limit, named in the refusal.
    package let option: String
    /// The time origin that readings are taken from.
    let origin = ContinuousClock.now

    /// Creates the middleware.
    ///
    /// - Parameters:
    ///   - limiter: The buckets.
    ///   - option: The command-line option that raises the limit, named in the refusal.
    package init(limiter: RateLimiter, option: String = "hub-server serve --rate-limit") {
        self.limiter = limiter
        self.option = option
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let enrollment = context.enrollment else { return try await next(request, context) }
        if let wait = limiter.admit(enrollment.id, now: ContinuousClock.now - origin) {
            throw RateLimitedError(
                limit: limiter.limit,
                option: option,
                retryAfterSeconds: max(1, Int(wait.components.seconds) + 1)
            )
        }
        return try await next(request, context)
    }
}

/// The answer to a credential over its rate limit.
package struct RateLimitedError: HTTPResponseError {
    /// Requests allowed per minute.
    let limit: Int
    /// The option that raises the limit.
    let option: String
    /// When to try again, in whole seconds.
    let retryAfterSeconds: Int

    package var status: HTTPResponse.Status { .tooManyRequests }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorResponse(
            code: "rate-limited",
            message: "this credential sent more than \(limit) requests in a minute; "
                + "wait \(retryAfterSeconds) s and retry, or raise '\(option)'"
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .retryAfter: String(retryAfterSeconds)],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(body)))
        )
    }
}
