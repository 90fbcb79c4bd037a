/// The pipe between a replica and its peer: HTTP, in memory, or (later) a file bundle.
///
/// Each step is idempotent: a retried hello, pull or push changes nothing twice, so a
/// transport may retry any step after a timeout.
///
/// ```swift
/// let report = try await SyncClient(store: store, transport: HTTPSyncTransport(...)).synchronize()
/// ```
public protocol SyncTransport: Sendable {
    /// Opens an exchange.
    ///
    /// - Parameter request: Who asks and what it has.
    /// - Returns: What the peer has.
    /// - Throws: ``SyncError``.
    func hello(_ request: HelloRequest) async throws -> HelloResponse

    /// Fetches a batch of the changes the client lacks.
    ///
    /// - Parameter request: What the client has and how much to send.
    /// - Returns: A bounded batch.
    /// - Throws: ``SyncError``.
    func pull(_ request: PullRequest) async throws -> ChangeBatch

    /// Sends a batch of changes the peer lacks.
    ///
    /// - Parameter batch: The changes.
    /// - Returns: What the peer applied and its new vector.
    /// - Throws: ``SyncError``.
    func push(_ batch: ChangeBatch) async throws -> PushResponse
}
