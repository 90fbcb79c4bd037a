import Foundation
import Hummingbird
package import HummingbirdCore
import HummingbirdTLS
import NIOCore
package import NIOSSL
import SyncCore

/// How a listener serves HTTP: the idle timeout of its connections, and TLS when it has a certificate.
///
/// The hub (`hub-server serve`), the office pages (`replica-node serve`) and the
/// office's sync endpoints (`--sync-listen`) all build their servers with it.
package struct ListenerSettings: Sendable {
    /// The default time a connection may stay silent (idle, or stalled in the middle of a
    /// request's headers or body) before it is closed: 30 s.
    package static let defaultIdleTimeout: Duration = .seconds(30)

    /// How long a connection may stay silent before it is closed.
    package var idleTimeout: Duration
    /// The certificate and key to serve HTTPS with; `nil` serves plain HTTP.
    package var tls: TLSConfiguration?

    /// Creates settings.
    ///
    /// - Parameters:
    ///   - idleTimeout: How long a connection may stay silent.
    ///   - tls: The server's TLS configuration, or `nil` for plain HTTP.
    package init(idleTimeout: Duration = Self.defaultIdleTimeout, tls: TLSConfiguration? = nil) {
        self.idleTimeout = idleTimeout
        self.tls = tls
    }

    /// The URL scheme served: `https` with TLS, else `http`.
    package var scheme: String { tls == nil ? "http" : "https" }

    /// The HTTP/1.1 server with the idle timeout, inside TLS when a certificate is configured.
    ///
    /// - Returns: The server builder.
    package func makeServer() -> HTTPServerBuilder {
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: TimeAmount(idleTimeout)))
        guard let tls else { return http1 }
        do {
            return try .tls(http1, tlsConfiguration: tls)
        } catch {
            preconditionFailure("wrapping the HTTP server in TLS failed: \(error)")
        }
    }

    /// Reads a PEM certificate chain and private key into a server TLS configuration
    /// (TLS 1.2 at least).
    ///
    /// - Parameters:
    ///   - certificatePath: The PEM file of the certificate, followed by its intermediates.
    ///   - keyPath: The PEM file of the private key.
    /// - Returns: The configuration.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` naming the unreadable file.
    package static func loadTLS(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw SyncError(.invalidArgument, "cannot read a PEM certificate from \(certificatePath)", cause: error)
        }
        guard !chain.isEmpty else {
            throw SyncError(.invalidArgument, "\(certificatePath) holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw SyncError(.invalidArgument, "cannot read a PEM private key from \(keyPath)", cause: error)
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
