/// What the hub's HTTP application needs to know: where to listen and how much to accept.
struct HubConfiguration: Sendable {
    /// The default largest request body, after decompression: 64 MiB.
    static let defaultMaxBodyBytes = 64 << 20

    /// The address to bind, such as `127.0.0.1`.
    var host: String
    /// The TCP port; 0 picks a free one.
    var port: Int
    /// The largest request body accepted, in bytes, after gzip decompression.
    var maxBodyBytes: Int
    /// The name the server reports in its logs.
    var serverName: String

    init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxBodyBytes: Int = Self.defaultMaxBodyBytes,
        serverName: String = "hub-server"
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.serverName = serverName
    }
}
