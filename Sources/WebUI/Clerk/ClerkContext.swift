import Foundation
package import Hummingbird
package import SyncCore

/// The request context of a commune office's pages.
package struct ClerkContext: RequestContext, WebRequestContext {
    package var coreContext: CoreRequestContextStorage
    package var web = WebState()

    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
    }

    /// The page context of this request.
    package var page: PageContext { PageContext(web) }
}

/// The result of a "sync now".
package enum SyncAttempt: Sendable {
    /// The exchange completed.
    case synced(SyncReport)
    /// The hub could not be reached: local work is safe, try later.
    case unreachable(String)
    /// The hub answered with a refusal or an error.
    case failed(String)
    /// The replica has no hub or credential yet.
    case notSetUp(String)
}

/// What the office's pages need from the program that serves them.
package struct ClerkHooks: Sendable {
    /// The replica's commune, or `nil` before `init`.
    package var commune: @Sendable () -> String?
    /// The hub's name (its URL) under which sync status is recorded, or `nil` before `init`.
    package var hubName: @Sendable () -> String?
    /// One exchange with the hub.
    package var synchronize: @Sendable () async -> SyncAttempt

    package init(
        commune: @escaping @Sendable () -> String?,
        hubName: @escaping @Sendable () -> String?,
        synchronize: @escaping @Sendable () async -> SyncAttempt
    ) {
        self.commune = commune
        self.hubName = hubName
        self.synchronize = synchronize
    }
}
