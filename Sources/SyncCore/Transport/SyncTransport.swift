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

    /// Makes a batch ready to send: what can be done before the peer is asked (such as encoding
    /// and compressing it), so that the client can do it while the peer works on the batch
    /// before.
    ///
    /// - Parameter batch: The changes.
    /// - Returns: The batch, ready for ``push(prepared:)``.
    func prepare(_ batch: ChangeBatch) -> PreparedPush

    /// Sends a batch made ready by ``prepare(_:)``.
    ///
    /// - Parameter prepared: The batch, as ``prepare(_:)`` returned it.
    /// - Returns: What the peer applied and its new vector.
    /// - Throws: ``SyncError``.
    func push(prepared: PreparedPush) async throws -> PushResponse
}

extension SyncTransport {
    /// Keeps the batch as it is: a transport that encodes nothing ahead sends it as usual.
    public func prepare(_ batch: ChangeBatch) -> PreparedPush { PreparedPush(batch: batch) }

    /// Sends the batch with ``push(_:)``.
    public func push(prepared: PreparedPush) async throws -> PushResponse { try await push(prepared.batch) }
}

/// A batch made ready to send by ``SyncTransport/prepare(_:)``: the changes, and the request
/// body the transport built from them, when it builds one ahead.
public struct PreparedPush: Sendable {
    /// The changes.
    public let batch: ChangeBatch
    /// The request body, as the transport sends it.
    public let body: [UInt8]?
    /// The body's content coding (such as `gzip`), when it has one.
    public let contentEncoding: String?

    /// Wraps a batch.
    ///
    /// - Parameters:
    ///   - batch: The changes.
    ///   - body: The request body built from them, if any.
    ///   - contentEncoding: The body's content coding.
    public init(batch: ChangeBatch, body: [UInt8]? = nil, contentEncoding: String? = nil) {
        self.batch = batch
        self.body = body
        self.contentEncoding = contentEncoding
    }
}
