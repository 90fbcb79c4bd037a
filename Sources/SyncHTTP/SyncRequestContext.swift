package import Hummingbird
package import NIOCore
package import SyncCore

/// A request context that can carry the enrollment a bearer token authenticated.
///
/// The hub's context and the commune office's sync context both conform, so that
/// ``BearerAuthMiddleware``, ``RateLimitMiddleware`` and ``SyncRoutes`` serve either.
package protocol SyncRequestContext: RequestContext {
    /// The authenticated replica's enrollment; `nil` on routes without authentication.
    var enrollment: Enrollment? { get set }
}

extension SyncRequestContext {
    /// The enrollment of an authenticated route.
    ///
    /// - Returns: The enrollment.
    /// - Throws: ``SyncError`` with ``SyncError/Code/unauthorized`` when no credential was checked.
    package func requireEnrollment() throws -> Enrollment {
        guard let enrollment else {
            throw SyncError(.unauthorized, "this route needs 'Authorization: Bearer <token>'")
        }
        return enrollment
    }
}

/// The request context of a server that answers only the sync routes (a commune office serving
/// its field laptops): Hummingbird's core storage plus the authenticated enrollment.
package struct SyncOnlyRequestContext: SyncRequestContext, RemoteAddressRequestContext {
    /// Hummingbird's storage.
    package var coreContext: CoreRequestContextStorage
    /// The authenticated replica's enrollment.
    package var enrollment: Enrollment?
    /// The connection's peer, for the limit on requests without a valid credential.
    package let remoteAddress: SocketAddress?

    /// Creates the context of a new request.
    ///
    /// - Parameter source: The channel's source.
    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        enrollment = nil
        remoteAddress = source.channel.remoteAddress
    }
}
