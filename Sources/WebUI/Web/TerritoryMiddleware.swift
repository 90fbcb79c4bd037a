package import Hummingbird
package import SyncCore

/// Reads the territory (the communes the store knows) once per page request, so that every view
/// of the request names communes, and offers them, from the store rather than from the code.
///
/// A commune added at the hub appears on the pages of a replica once a sync has brought it.
package struct TerritoryMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The store whose communes the pages show.
    let store: ReplicaStore

    /// Creates the middleware.
    ///
    /// - Parameter store: The store whose communes the pages show.
    package init(store: ReplicaStore) {
        self.store = store
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let communes = (try? store.communes()) ?? Territory.seed
        return try await Vocabulary.$territory.withValue(communes) { try await next(request, context) }
    }
}
