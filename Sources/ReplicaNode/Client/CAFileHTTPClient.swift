import Foundation
import NIOSSL
import SyncHTTP

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTPS client that trusts the certificates of one CA file (`replica-node init --ca-file`)
/// and nothing else: ``NIOHubHTTPClient`` with that CA as the only trust root, one client per CA
/// file (and version of it) for the whole process.
struct CAFileHTTPClient: HubHTTPClient {
    /// The underlying client.
    let client: NIOHubHTTPClient

    /// The client trusting a CA file, created on first use.
    ///
    /// - Parameter caFile: A PEM file of one or more CA certificates.
    /// - Throws: `CommandFailure` when the file holds no readable certificate.
    init(caFile: String) throws {
        let roots: [NIOSSLCertificate]
        do {
            roots = try NIOSSLCertificate.fromPEMFile(caFile)
        } catch {
            throw CommandFailure(
                code: "invalid-argument",
                message:
                    "cannot read a PEM certificate from the CA file \(caFile); give it again with 'init --ca-file'",
                exitCode: CommandFailure.dataError
            )
        }
        // A CA file replaced while a daemon runs gets a client of its own.
        let attributes = try? FileManager.default.attributesOfItem(atPath: caFile)
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        client = NIOHubHTTPClient.trusting(roots, key: "\(caFile) \(attributes?[.size] ?? 0) \(modified)")
    }

    func send(_ request: URLRequest) async throws -> (Data, URLResponse) {
        try await client.send(request)
    }
}
