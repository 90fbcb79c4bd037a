import Foundation
import SyncCore
import SyncHTTP

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One full exchange between this replica and the hub named in its settings.
///
/// The settings are read afresh for every exchange, so that a daemon picks up a new credential
/// given to `init` without a restart.
struct ReplicaSync: Sendable {
    /// A clock more than this far from the hub's gets a warning.
    static let clockWarningMillis: Int64 = 60_000

    /// The replica.
    let store: ReplicaStore
    /// The HTTP client every request goes through (unless the settings name a CA file).
    let session: any HubHTTPClient
    /// The longest one request may take.
    var timeout: Duration = .seconds(30)
    /// Retries of a failed step.
    var retries = 3
    /// Records per batch.
    var batchLimit = ReplicaStore.defaultBatchLimit
    /// Another peer than the hub set by `init` (a commune office), and the credential it issued.
    var peer: (url: URL, token: String)? = nil
    /// The CA that issued the peer's certificate, instead of the one given to `init`.
    var peerCAFile: String? = nil

    /// Runs one exchange.
    ///
    /// - Parameter progress: Called after each batch.
    /// - Returns: What moved, and whether the digests match.
    /// - Throws: ``CommandFailure`` when the replica is not set up; ``SyncError`` from the hub or the store.
    func run(progress: (@Sendable (SyncProgress) -> Void)? = nil) async throws -> SyncReport {
        var settings = try NodeSettings.load(from: store)
        if let peer {
            settings.hub = peer.url
            settings.token = peer.token
            if let peerCAFile { settings.caFile = peerCAFile }
        }
        let client = SyncClient(
            store: store,
            transport: try makeTransport(settings, retries: retries),
            peerName: settings.hubName,
            batchLimit: batchLimit
        )
        return try await client.synchronize(progress: progress)
    }

    /// Opens an exchange and stops there: a quick check that the hub answers and accepts this
    /// replica's credential, and a look at its digest.
    func probe(timeout: Duration) async throws -> HelloResponse {
        let settings = try NodeSettings.load(from: store)
        var quick = self
        quick.timeout = timeout
        let hello = HelloRequest(
            replica: store.replicaID,
            previousIdentities: try store.previousIdentities(),
            vector: try store.vector(),
            schemaVersion: store.schema.version
        )
        return try await quick.makeTransport(settings, retries: 0).hello(hello)
    }

    private func makeTransport(_ settings: NodeSettings, retries: Int) throws -> HTTPSyncTransport<ContinuousClock> {
        HTTPSyncTransport(
            hub: settings.hub,
            token: settings.token,
            session: try settings.caFile.map { try CAFileHTTPClient(caFile: $0) } ?? session,
            timeout: timeout,
            retries: retries,
            clock: ContinuousClock(),
            userAgent: "replica-node/\(ReplicaNodeCommand.version)"
        )
    }

    /// A warning for the operator when this machine's clock is more than a minute off the hub's.
    ///
    /// - Parameter offsetMillis: The hub's clock minus this machine's.
    /// - Returns: The warning, or `nil` when the clocks agree within a minute.
    static func clockWarning(offsetMillis: Int64) -> String? {
        guard abs(offsetMillis) > clockWarningMillis else { return nil }
        let direction = offsetMillis > 0 ? "behind" : "ahead of"
        return "this machine's clock is \(TextFormat.span(offsetMillis)) \(direction) the hub's; set the date and time "
            + "(timedatectl, or the BIOS clock) or changes written here may be refused or ordered wrongly"
    }
}
