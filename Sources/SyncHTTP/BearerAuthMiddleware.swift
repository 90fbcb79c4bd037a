import Foundation
package import Hummingbird
import Logging
package import SyncCore

/// Authenticates `Authorization: Bearer <token>` against the enrollment register and puts the
/// enrollment in the request context; a request without a valid credential never reaches a route.
package struct BearerAuthMiddleware<Context: SyncRequestContext>: RouterMiddleware {
    /// The register that checks tokens.
    package let registry: any EnrollmentRegistry

    /// Creates the middleware.
    ///
    /// - Parameter registry: The register that checks tokens.
    package init(registry: any EnrollmentRegistry) {
        self.registry = registry
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let token = try Self.bearerToken(in: request.headers)
        var context = context
        let enrollment = try await registry.authenticate(token: token)
        context.enrollment = enrollment
        context.logger[metadataKey: "enrollment"] = .string(enrollment.id)
        context.logger[metadataKey: "commune"] = .string(enrollment.commune)
        return try await next(request, context)
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
