import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import NIOCore
import NIOSSL
import SyncCore

extension HubConfiguration {
    /// Reads a PEM certificate chain and private key into a server TLS configuration
    /// (TLS 1.2 at least).
    ///
    /// - Parameters:
    ///   - certificatePath: The PEM file of the certificate, followed by its intermediates.
    ///   - keyPath: The PEM file of the private key.
    /// - Returns: The configuration.
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` naming the unreadable file.
    static func loadTLS(certificatePath: String, keyPath: String) throws -> TLSConfiguration {
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

    /// The HTTP/1.1 server with the idle timeout, inside TLS when a certificate is configured.
    ///
    /// - Returns: The server builder.
    func makeServer() -> HTTPServerBuilder {
        let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: TimeAmount(idleTimeout)))
        guard let tls else { return http1 }
        do {
            return try .tls(http1, tlsConfiguration: tls)
        } catch {
            preconditionFailure("wrapping the HTTP server in TLS failed: \(error)")
        }
    }
}
