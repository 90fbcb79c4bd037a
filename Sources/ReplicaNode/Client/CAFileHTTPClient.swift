import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import SyncHTTP
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An HTTPS client that trusts the certificates of one CA file (`replica-node init --ca-file`).
///
/// FoundationNetworking on Linux offers no way to add a trust anchor to a `URLSession` (no
/// server-trust challenge reaches a delegate, and libcurl's CA settings are not exposed), so a
/// replica whose hub has a certificate from a provincial CA talks to it through AsyncHTTPClient
/// and swift-nio-ssl with that CA as the only trust root. One client per CA file lives for the
/// whole process.
struct CAFileHTTPClient: HubHTTPClient {
    /// The largest answer accepted.
    static let maxAnswerBytes = 256 << 20
    private static let clients = Mutex<[String: HTTPClient]>([:])

    /// The underlying client.
    let client: HTTPClient

    /// The client trusting a CA file, created on first use.
    ///
    /// - Parameter caFile: A PEM file of one or more CA certificates.
    /// - Throws: `SyncError` when the file holds no readable certificate.
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
        client = Self.clients.withLock { clients in
            if let existing = clients[caFile] { return existing }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates(roots)
            let made = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: HTTPClient.Configuration(tlsConfiguration: tls)
            )
            clients[caFile] = made
            return made
        }
    }

    func send(_ request: URLRequest) async throws -> (Data, URLResponse) {
        guard let url = request.url else { throw URLError(.badURL) }
        var outgoing = HTTPClientRequest(url: url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.httpMethod ?? "GET")
        for (name, value) in request.allHTTPHeaderFields ?? [:] { outgoing.headers.add(name: name, value: value) }
        if let body = request.httpBody { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let timeout = TimeAmount.milliseconds(Int64(request.timeoutInterval * 1_000))
            let answer = try await client.execute(outgoing, timeout: timeout)
            let body = try await answer.body.collect(upTo: Self.maxAnswerBytes)
            let fields = Dictionary(answer.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            let response = HTTPURLResponse(
                url: url,
                statusCode: Int(answer.status.code),
                httpVersion: "HTTP/1.1",
                headerFields: fields
            )
            guard let response else { throw URLError(.badServerResponse) }
            return (Data(body.readableBytesView), response)
        } catch let error as URLError {
            throw error
        } catch is NIOSSLError {
            throw URLError(.serverCertificateUntrusted)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw URLError(.timedOut)
        } catch {
            throw URLError(.cannotConnectToHost)
        }
    }
}
