import Foundation
package import Hummingbird
import SyncCore

/// Refuses a credential's requests beyond its per-minute limit with `429 Too Many Requests`,
/// `Retry-After` and the error body (code `rate-limited`).
///
/// It runs after ``BearerAuthMiddleware``, so the limit is per enrollment; requests without a
/// valid credential are limited per client address by ``BearerAuthMiddleware`` itself.
package struct RateLimitMiddleware<Context: SyncRequestContext>: RouterMiddleware {
    /// The buckets: this process's, or buckets shared by several processes.
    package let limiter: any CredentialLimiter
    /// The option that raises the limit, named in the refusal.
    package let option: String

    /// Creates the middleware.
    ///
    /// - Parameters:
    ///   - limiter: The buckets.
    ///   - option: The command-line option that raises the limit, named in the refusal.
    package init(limiter: any CredentialLimiter, option: String = "hub-server serve --rate-limit") {
        self.limiter = limiter
        self.option = option
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let enrollment = context.enrollment else { return try await next(request, context) }
        if let wait = try await limiter.admit(enrollment.id) {
            let retry = RateLimitedError.seconds(wait)
            throw RateLimitedError(
                message: "this credential sent more than \(limiter.limit) requests in a minute; "
                    + "wait \(retry) s and retry, or raise '\(option)'",
                retryAfterSeconds: retry
            )
        }
        return try await next(request, context)
    }
}

/// The answer to a client over a rate limit: `429`, `Retry-After` and code `rate-limited`.
package struct RateLimitedError: HTTPResponseError {
    /// What was wrong and what to do.
    package let message: String
    /// When to try again, in whole seconds.
    package let retryAfterSeconds: Int

    /// Creates the answer.
    ///
    /// - Parameters:
    ///   - message: What was wrong and what to do.
    ///   - retryAfterSeconds: When to try again.
    package init(message: String, retryAfterSeconds: Int) {
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A wait rounded up to whole seconds, at least one.
    package static func seconds(_ wait: Duration) -> Int {
        max(1, Int(wait.components.seconds) + (wait.components.attoseconds > 0 ? 1 : 0))
    }

    package var status: HTTPResponse.Status { .tooManyRequests }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        try jsonErrorResponse(
            status: status,
            code: "rate-limited",
            message: message,
            headers: [.retryAfter: String(retryAfterSeconds)]
        )
    }
}

/// A JSON error response, `{"error":{"code":…,"message":…}}`, as every `/v1` refusal is.
///
/// - Parameters:
///   - status: The status.
///   - code: The machine-readable code.
///   - message: What was wrong and what to do.
///   - headers: More headers, such as `Retry-After`.
/// - Returns: The response.
/// - Throws: An encoding error.
package func jsonErrorResponse(
    status: HTTPResponse.Status,
    code: String,
    message: String,
    headers: HTTPFields = [:]
) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
    fields.append(contentsOf: headers)
    return Response(
        status: status,
        headers: fields,
        body: ResponseBody(
            byteBuffer: ByteBuffer(bytes: try encoder.encode(ErrorResponse(code: code, message: message)))
        )
    )
}
