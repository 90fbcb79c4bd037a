import Foundation
import SyncCore
import SyncHTTP

/// The link from this hub to the hub above it (a national or regional hub): its URL, this hub's
/// relay credential there, and how patient each request is.
///
/// Upstream, this hub is a client exactly like a commune's replica: one exchange is a
/// ``SyncClient`` over an ``HTTPSyncTransport`` with the hub's own store, so the same hello,
/// push and pull move the province's changes up (with their true origins) and the national
/// hub's answers down, in bounded, resumable batches.
struct UpstreamLink: Sendable {
    /// The upstream hub's base URL.
    let url: URL
    /// This hub's relay credential at the upstream hub.
    let token: String
    /// The longest one request may take.
    var timeout: Duration = .seconds(30)
    /// Retries of a failed step within one exchange.
    var retries = 3
    /// Records per batch.
    var batchLimit = ReplicaStore.defaultBatchLimit

    /// Reads and checks the URL and the token file.
    ///
    /// - Parameters:
    ///   - url: The upstream hub's base URL, `http://` or `https://`.
    ///   - tokenFile: A file holding the credential printed by `hub-server enroll --relay` there.
    ///   - option: How the URL option is spelled, for messages (`--url`, `--upstream`).
    /// - Throws: ``SyncError`` with ``SyncError/Code/invalidArgument`` naming what is wrong.
    init(url: String, tokenFile: String, option: String) throws {
        let text = url
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
        else {
            throw SyncError(
                .invalidArgument,
                "\(option) must be the upstream hub's address, such as https://national.example.ma "
                    + "(got '\(text.prefix(80))')"
            )
        }
        self.url = url
        self.token = try Self.readToken(tokenFile)
    }

    /// Runs one exchange with the upstream hub.
    ///
    /// - Parameter store: This hub's store.
    /// - Returns: What moved.
    /// - Throws: ``SyncError`` from the upstream hub or the store; what was applied stays.
    func synchronize(_ store: any SyncClientStore) async throws -> SyncReport {
        let transport = HTTPSyncTransport(
            hub: url,
            token: token,
            session: HTTPSyncTransport<ContinuousClock>.defaultClient,
            timeout: timeout,
            retries: retries,
            clock: ContinuousClock(),
            userAgent: "hub-server/relay"
        )
        let client = SyncClient(
            store: store,
            transport: transport,
            peerName: url.absoluteString,
            batchLimit: batchLimit
        )
        return try await client.synchronize()
    }

    /// The credential in a token file: one line, `esw1.…`, nothing else.
    private static func readToken(_ path: String) throws -> String {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard (attributes[.size] as? Int ?? 0) <= 1_024 else {
                throw SyncError(.invalidArgument, "the token file \(path) is larger than a credential")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError(
                .invalidArgument,
                "cannot read the token file \(path); save there the credential printed by "
                    + "'hub-server enroll --relay' at the upstream hub",
                cause: error
            )
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "esw1", token.utf8.count < 200,
            token.unicodeScalars.allSatisfy({ $0.isASCII && !CharacterSet.whitespacesAndNewlines.contains($0) })
        else {
            throw SyncError(
                .invalidArgument,
                "the token file \(path) does not hold a credential (esw1.<id>.<secret>); save there exactly "
                    + "what 'hub-server enroll --relay' printed at the upstream hub"
            )
        }
        return token
    }
}
