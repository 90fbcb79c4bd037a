import Foundation
import Hummingbird
import SyncCore

/// Refuses a credential's requests beyond its per-minute limit with `429 Too Many Requests`,
/// `Retry-After` and the error body (code `rate-limited`).
///
/// It runs after ``BearerAuthMiddleware``, so the limit is per enrollment; requests without a
/// valid credential are refused before they reach it.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    /// The buckets.
    let limiter: RateLimiter
    /// The time origin that readings are taken from.
    let origin = ContinuousClock.now

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let enrollment = context.enrollment else { return try await next(request, context) }
        if let wait = limiter.admit(enrollment.id, now: ContinuousClock.now - origin) {
            throw RateLimitedError(limit: limiter.limit, retryAfterSeconds: max(1, Int(wait.components.seconds) + 1))
        }
        return try await next(request, context)
    }
}

/// The answer to a credential over its rate limit.
struct RateLimitedError: HTTPResponseError {
    /// Requests allowed per minute.
    let limit: Int
    /// When to try again, in whole seconds.
    let retryAfterSeconds: Int

    var status: HTTPResponse.Status { .tooManyRequests }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = ErrorResponse(
            code: "rate-limited",
            message: "this credential sent more than \(limit) requests in a minute; "
                + "wait \(retryAfterSeconds) s and retry, or raise 'hub-server serve --rate-limit'"
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
