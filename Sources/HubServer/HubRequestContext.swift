import Hummingbird
import SyncCore

/// The per-request context of the hub: Hummingbird's core storage plus the enrollment that the
/// bearer token authenticated, set by ``BearerAuthMiddleware`` on the `/v1` routes.
struct HubRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The authenticated replica's enrollment; `nil` on routes without authentication.
    var enrollment: Enrollment?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        enrollment = nil
    }

    /// The enrollment of an authenticated route.
    ///
    /// - Returns: The enrollment.
    /// - Throws: ``SyncError`` with ``SyncError/Code/unauthorized`` when no credential was checked.
    func requireEnrollment() throws -> Enrollment {
        guard let enrollment else {
            throw SyncError(.unauthorized, "this route needs 'Authorization: Bearer <token>'")
        }
        return enrollment
    }
}
