import Hummingbird
import NIOCore
import SyncCore
import SyncHTTP

/// The per-request context of the hub: Hummingbird's core storage plus the enrollment that the
/// bearer token authenticated, set by ``BearerAuthMiddleware`` on the `/v1` routes.
struct HubRequestContext: SyncRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The authenticated replica's enrollment; `nil` on routes without authentication.
    var enrollment: Enrollment?
    /// The connection's peer (the proxy's address behind a reverse proxy).
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        enrollment = nil
        remoteAddress = source.channel.remoteAddress
    }
}
