import AsyncHTTPClient
import CompressNIO
package import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
package import NIOSSL
import Synchronization

#if canImport(FoundationNetworking)
package import FoundationNetworking
#endif

/// The HTTP client of the sync programs: AsyncHTTPClient on SwiftNIO, one per trust setting,
/// living for the whole process, its connections kept open and reused between requests.
///
/// It replaces `URLSession`, which on Linux runs libcurl under libdispatch sources: pushing a
/// batch of 2,000 changes cost the client more CPU time than the hub spent applying it (hundreds
/// of thousands of thread switches per second, measured with `perf` and `/usr/bin/time -v`), CPU
/// that a commune laptop, or a hub sharing its machine, does not have to spare.
///
/// Answers are inflated when the hub compresses them (`Accept-Encoding: gzip` is sent), up to
/// ``maxAnswerBytes``. Failures come back as the `URLError`s ``HubFailure`` maps to its
/// messages, so the messages do not depend on the client.
///
/// ```swift
/// let transport = HTTPSyncTransport(hub: url, token: token, session: NIOHubHTTPClient.shared, clock: ContinuousClock())
/// ```
package struct NIOHubHTTPClient: HubHTTPClient {
    /// The largest answer accepted, after decompression.
    package static let maxAnswerBytes = 256 << 20

    /// The client trusting the system's certificate authorities.
    package static let shared = NIOHubHTTPClient(client: makeClient(trustRoots: nil))

    private static let pinned = Mutex<[String: HTTPClient]>([:])

    private let client: HTTPClient

    private init(client: HTTPClient) {
        self.client = client
        MemoryTuning.keepBatchBuffers()
    }

    /// The client trusting only the given certificate authorities (a provincial CA), one per
    /// `key` for the whole process.
    ///
    /// - Parameters:
    ///   - roots: The trusted certificates.
    ///   - key: What identifies the roots, such as the CA file's path.
    /// - Returns: The client.
    package static func trusting(_ roots: [NIOSSLCertificate], key: String) -> NIOHubHTTPClient {
        NIOHubHTTPClient(
            client: pinned.withLock { clients in
                if let existing = clients[key] { return existing }
                let made = makeClient(trustRoots: roots)
                clients[key] = made
                return made
            }
        )
    }

    private static func makeClient(trustRoots: [NIOSSLCertificate]?) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let trustRoots { tls.trustRoots = .certificates(trustRoots) }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10))
        )
        configuration.httpVersion = .http1Only
        // A hub that is down or a certificate refused fails the request at once (the transport
        // decides about retrying), rather than being retried until the request's deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    package func send(_ request: URLRequest) async throws -> (Data, URLResponse) {
        guard let url = request.url else { throw URLError(.badURL) }
        var outgoing = HTTPClientRequest(url: url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.httpMethod ?? "GET")
        for (name, value) in request.allHTTPHeaderFields ?? [:] { outgoing.headers.add(name: name, value: value) }
        if !outgoing.headers.contains(name: "Accept-Encoding") {
            outgoing.headers.add(name: "Accept-Encoding", value: "gzip")
        }
        if let body = request.httpBody { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let timeout = TimeAmount.milliseconds(Int64(request.timeoutInterval * 1_000))
            let answer = try await client.execute(outgoing, timeout: timeout)
            var body = try await answer.body.collect(upTo: Self.maxAnswerBytes)
            if let coding = answer.headers.first(name: "Content-Encoding")?.lowercased(), coding != "identity" {
                guard coding == "gzip" || coding == "x-gzip" else { throw URLError(.cannotDecodeContentData) }
                do {
                    body = try body.decompress(with: .gzip(), maxSize: Self.maxAnswerBytes)
                } catch {
                    throw URLError(.cannotDecodeContentData)
                }
            }
            var fields: [String: String] = [:]
            for (name, value) in answer.headers where name.lowercased() != "content-encoding" { fields[name] = value }
            guard
                let response = HTTPURLResponse(
                    url: url,
                    statusCode: Int(answer.status.code),
                    httpVersion: "HTTP/1.1",
                    headerFields: fields
                )
            else { throw URLError(.badServerResponse) }
            return (Data(body.readableBytesView), response)
        } catch {
            throw Self.urlError(for: error)
        }
    }

    /// The `URLError` that stands for a client failure.
    private static func urlError(for error: any Error) -> URLError {
        switch error {
        case let error as URLError:
            return error
        case let error as NIOSSLError where error == .uncleanShutdown:
            return URLError(.networkConnectionLost)
        case is NIOSSLError, is NIOSSLExtraError, is BoringSSLError:
            return URLError(.serverCertificateUntrusted)
        case is NIOTooManyBytesError:
            return URLError(.dataLengthExceedsMaximum)
        case let error as HTTPClientError:
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                .getConnectionFromPoolTimeout, .httpProxyHandshakeTimeout:
                return URLError(.timedOut)
            case .remoteConnectionClosed: return URLError(.networkConnectionLost)
            case .cancelled: return URLError(.cancelled)
            default: return URLError(.cannotConnectToHost)
            }
        case is CancellationError:
            return URLError(.cancelled)
        case let error as NIOConnectionError where error.dnsAError != nil && error.dnsAAAAError != nil:
            return URLError(.cannotFindHost)
        case let error as IOError where error.errnoCode == ECONNRESET || error.errnoCode == EPIPE:
            return URLError(.networkConnectionLost)
        default:
            return URLError(.cannotConnectToHost)
        }
    }
}
