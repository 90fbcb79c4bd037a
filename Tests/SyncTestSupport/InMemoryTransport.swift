public import SyncCore

/// A transport that calls a ``SyncServer`` in the same process: for simulations and tests.
///
/// ```swift
/// let transport = InMemoryTransport(server: SyncServer(store: hub))
/// try await SyncClient(store: laptop, transport: transport).synchronize()
/// ```
public struct InMemoryTransport: SyncTransport {
    /// The server called.
    public let server: SyncServer

    /// Creates a transport to `server`.
    ///
    /// - Parameter server: The server called.
    public init(server: SyncServer) {
        self.server = server
    }

    /// Calls ``SyncServer/hello(_:)``.
    ///
    /// - Parameter request: The hello.
    /// - Returns: The server's answer.
    /// - Throws: ``SyncError``.
    public func hello(_ request: HelloRequest) async throws -> HelloResponse { try await server.hello(request) }

    /// Calls ``SyncServer/pull(_:)``.
    ///
    /// - Parameter request: The pull.
    /// - Returns: A batch.
    /// - Throws: ``SyncError``.
    public func pull(_ request: PullRequest) async throws -> ChangeBatch { try await server.pull(request) }

    /// Calls ``SyncServer/push(_:)``.
    ///
    /// - Parameter batch: The changes.
    /// - Returns: The server's answer.
    /// - Throws: ``SyncError``.
    public func push(_ batch: ChangeBatch) async throws -> PushResponse { try await server.push(batch) }
}
