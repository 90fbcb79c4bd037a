import Hummingbird
import HummingbirdCore
import NIOSSL
import SyncHTTP

extension HubConfiguration {
    /// Reads a PEM certificate chain and private key into a server TLS configuration
    /// (TLS 1.2 at least); the code is shared with `replica-node serve --sync-tls-cert`.
    ///
    /// - Parameters:
    ///   - certificatePath: The PEM file of the certificate, followed by its intermediates.
    ///   - keyPath: The PEM file of the private key.
    /// - Returns: The configuration.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` naming the unreadable file.
    static func loadTLS(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        try ListenerSettings.loadTLS(certificatePath: certificatePath, keyPath: keyPath)
    }

    /// The HTTP/1.1 server with the idle timeout, inside TLS when a certificate is configured.
    ///
    /// - Returns: The server builder.
    func makeServer() -> HTTPServerBuilder {
        ListenerSettings(idleTimeout: idleTimeout, tls: tls).makeServer()
    }
}
