import CompressNIO
package import Foundation
import Hummingbird
package import SyncCore

#if canImport(FoundationNetworking)
package import FoundationNetworking
#endif

/// What ``HTTPSyncTransport`` sends its requests through: ``NIOHubHTTPClient`` (trusting the
/// system's certificate authorities, or a provincial CA file), or a `URLSession`.
package protocol HubHTTPClient: Sendable {
    /// Sends a request and returns the answer's body and response.
    ///
    /// - Parameter request: The request, with its body.
    /// - Returns: The body and the HTTP response.
    /// - Throws: `URLError` when the hub cannot be reached or its certificate is refused.
    func send(_ request: URLRequest) async throws -> (Data, URLResponse)
}

extension URLSession: HubHTTPClient {
    package func send(_ request: URLRequest) async throws -> (Data, URLResponse) {
        try await data(for: request)
    }
}

/// A client's side of a hub's HTTP API: `POST /v1/hello`, `/v1/pull` and `/v1/push`, JSON
/// bodies, `Authorization: Bearer <token>`.
///
/// Each request has a timeout. The three steps are idempotent, so a step that fails on the way
/// (no connection, a timeout, a 5xx answer) is retried with exponential backoff and jitter; an
/// answer that will not change by retrying (4xx: bad credential, wrong version, clock drift) is
/// mapped to a ``SyncError`` carrying the hub's own message. The clock that paces retries is
/// injected, so tests do not wait.
///
/// ```swift
/// let transport = HTTPSyncTransport(hub: url, token: token, session: session)
/// let report = try await SyncClient(store: store, transport: transport, peerName: url.absoluteString).synchronize()
/// ```
package struct HTTPSyncTransport<C: Clock>: SyncTransport where C.Duration == Duration {
    /// The hub's base URL.
    package let hub: URL
    /// The bearer credential.
    package let token: String
    /// The HTTP client (shared by every transport of a process, so that connections are reused).
    package let session: any HubHTTPClient
    /// The longest a request may take.
    package let timeout: Duration
    /// Retries after the first attempt of a step.
    package let retries: Int
    /// The waits between attempts.
    package let backoff: Backoff
    /// The clock that paces retries.
    package let clock: C
    /// Jitter in `0..<1`.
    package let jitter: @Sendable () -> Double
    /// The `User-Agent` header, such as `replica-node/1.0.0`.
    package let userAgent: String

    /// Creates a transport.
    ///
    /// - Parameters:
    ///   - hub: The hub's base URL.
    ///   - token: The bearer credential.
    ///   - session: What requests go through.
    ///   - timeout: The longest a request may take.
    ///   - retries: Retries after the first attempt of a step.
    ///   - backoff: The waits between attempts.
    ///   - clock: The clock that paces retries.
    ///   - jitter: Jitter in `0..<1`.
    ///   - userAgent: The `User-Agent` header.
    package init(
        hub: URL,
        token: String,
        session: any HubHTTPClient,
        timeout: Duration = .seconds(30),
        retries: Int = 3,
        backoff: Backoff = Backoff(initial: .milliseconds(500), maximum: .seconds(8)),
        clock: C,
        jitter: @escaping @Sendable () -> Double = Backoff.systemJitter,
        userAgent: String = "essaouira-sync"
    ) {
        self.hub = hub
        self.token = token
        self.session = session
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.clock = clock
        self.jitter = jitter
        self.userAgent = userAgent
    }

    package func hello(_ request: HelloRequest) async throws -> HelloResponse {
        try await call("v1/hello", request, answer: HelloResponse.self)
    }

    package func pull(_ request: PullRequest) async throws -> ChangeBatch {
        try await call("v1/pull", try encode(request, path: "v1/pull")) { try ChangeBatch(json: $0) }
    }

    /// Sends a batch, gzip-compressed when its JSON is at least ``pushCompressionThreshold`` bytes.
    package func push(_ batch: ChangeBatch) async throws -> PushResponse {
        try await push(prepared: prepare(batch))
    }

    /// Encodes the batch and compresses it (see ``pushBody(_:)``): the body sent as is.
    package func prepare(_ batch: ChangeBatch) -> PreparedPush {
        let (body, encoding) = Self.pushBody(batch.json())
        return PreparedPush(batch: batch, body: body, contentEncoding: encoding)
    }

    package func push(prepared: PreparedPush) async throws -> PushResponse {
        guard let body = prepared.body else { return try await push(prepared.batch) }
        return try await call("v1/push", Data(body), contentEncoding: prepared.contentEncoding) {
            try JSONDecoder().decode(PushResponse.self, from: $0)
        }
    }

    /// Push bodies smaller than this are sent uncompressed.
    package static var pushCompressionThreshold: Int { 1_024 }

    /// A push body as sent: the JSON gzip-compressed at zlib's fastest level when it is at least
    /// ``pushCompressionThreshold`` bytes (hubs and offices accept `Content-Encoding: gzip`), as
    /// is otherwise.
    ///
    /// - Parameter json: The batch's JSON.
    /// - Returns: The body, and `gzip` when it is compressed.
    package static func pushBody(_ json: [UInt8]) -> (body: [UInt8], contentEncoding: String?) {
        guard json.count >= pushCompressionThreshold else { return (json, nil) }
        var source = ByteBuffer(bytes: json)
        guard
            let compressed = try? source.compress(
                with: .gzip(configuration: .init(compressionLevel: .fastestCompression))
            )
        else {
            return (json, nil)
        }
        return (Array(compressed.readableBytesView), "gzip")
    }

    /// The HTTP client for hub requests (``NIOHubHTTPClient/shared``: connections reused, no
    /// cookies, no cache; each request carries the transport's timeout).
    package static var defaultClient: any HubHTTPClient { NIOHubHTTPClient.shared }

    // MARK: - One step, with retries

    private func call<Body: Encodable, Answer: Decodable>(
        _ path: String,
        _ body: Body,
        answer: Answer.Type
    ) async throws -> Answer {
        precondition(!(body is Data), "a body already encoded goes to call(_:_:decoding:)")
        return try await call(path, try encode(body, path: path)) { try JSONDecoder().decode(answer, from: $0) }
    }

    /// Sends a body already encoded as JSON and decodes the answer with `decode`.
    private func call<Answer>(
        _ path: String,
        _ body: Data,
        contentEncoding: String? = nil,
        decoding decode: (Data) throws -> Answer
    ) async throws -> Answer {
        var request = makeRequest(path, body)
        if let contentEncoding { request.setValue(contentEncoding, forHTTPHeaderField: "Content-Encoding") }
        var failures = 0
        while true {
            do {
                return try await attempt(request, decoding: decode)
            } catch let failure as HubFailure {
                failures += 1
                guard failure.isRetryable, failures <= retries else { throw failure.error }
                try await clock.sleep(for: backoff.delay(afterFailures: failures, jitter: jitter()))
            }
        }
    }

    private func encode<Body: Encodable>(_ body: Body, path: String) throws -> Data {
        do {
            return try JSONEncoder().encode(body)
        } catch {
            throw SyncError(.invalidArgument, "cannot encode the request to \(path)", cause: error)
        }
    }

    private func makeRequest(_ path: String, _ body: Data) -> URLRequest {
        var request = URLRequest(url: hub.appendingPathComponent(path))
        request.httpMethod = "POST"
        request.timeoutInterval = timeout.seconds
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        request.httpBody = body
        return request
    }

    private func attempt<Answer>(_ request: URLRequest, decoding decode: (Data) throws -> Answer) async throws -> Answer
    {
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.send(request)
        } catch let error as URLError {
            throw HubFailure.connection(error, hub: hub, timeout: timeout)
        }
        guard let http = response as? HTTPURLResponse else {
            throw HubFailure(error: SyncError(.transport, "the hub at \(hub.absoluteString) gave no HTTP answer"))
        }
        guard (200..<300).contains(http.statusCode) else {
            throw HubFailure.status(http.statusCode, body: data, hub: hub)
        }
        do {
            return try decode(data)
        } catch {
            throw HubFailure(
                error: SyncError(
                    .transport,
                    "the answer of \(hub.absoluteString) to \(request.url?.path ?? "?") is not what a hub sends; "
                        + "check that the hub URL is right and that the hub is up to date",
                    cause: error
                )
            )
        }
    }
}

extension Duration {
    /// The duration in seconds, as `TimeInterval`.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
