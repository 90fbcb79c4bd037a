import Foundation
import Hummingbird
import Logging
import SyncCore
import SyncHTTP
import Synchronization

/// A hub for tests: the `SyncServer` of a real store behind Hummingbird on a loopback port, with
/// one accepted token and failures that a test can inject.
final class TestHub: Sendable {
    /// The only credential the hub accepts.
    static let token = "esw1.01936f0e-0000-7000-8000-000000000001.test-secret-0123456789-abcdef"

    /// What the hub does instead of answering a request.
    enum Fault: Sendable {
        case status(Int)
        case delay(Duration)
    }

    let store: ReplicaStore
    /// How far the hub's clock is ahead of this machine's, in milliseconds.
    let clockOffsetMillis: Int64
    private let faults = Mutex<[Fault]>([])
    private let requests = Mutex(0)

    init(store: ReplicaStore, clockOffsetMillis: Int64 = 0) {
        self.store = store
        self.clockOffsetMillis = clockOffsetMillis
    }

    /// Requests received so far.
    var requestCount: Int { requests.withLock { $0 } }

    /// Makes the next requests fail, one fault each, in order.
    func inject(_ next: [Fault]) {
        faults.withLock { $0.append(contentsOf: next) }
    }

    /// Serves on a free loopback port while `body` runs.
    func serve<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let port = try LoopbackPort.free()
        let router = Router()
        let offset = clockOffsetMillis
        let server = SyncServer(store: store, wallClock: { SyncClient.systemMillis() + offset })
        router.post("v1/hello") { request, _ in
            try await self.handle(request) { try await server.hello($0 as HelloRequest) }
        }
        router.post("v1/pull") { request, _ in
            try await self.handle(request) { try await server.pull($0 as PullRequest) }
        }
        router.post("v1/push") { request, _ in
            try await self.handle(request) { try await server.push($0 as ChangeBatch) }
        }
        let (ready, readiness) = AsyncStream<Void>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { _ in readiness.yield() },
            logger: Logger(label: "test-hub", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            for await _ in ready { break }
            let result = try await body(URL(string: "http://127.0.0.1:\(port)")!)
            group.cancelAll()
            return result
        }
    }

    private func handle<Input: Decodable, Output: Encodable>(
        _ request: Request,
        _ work: (Input) async throws -> Output
    ) async throws -> Response {
        requests.withLock { $0 += 1 }
        switch faults.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
        case .status(let status)?:
            return Self.json(status, ErrorResponse(code: "storage", message: "injected failure"))
        case .delay(let delay)?:
            try await Task.sleep(for: delay)
        case nil:
            break
        }
        guard request.headers[values: .authorization] == ["Bearer \(Self.token)"] else {
            return Self.json(
                401,
                ErrorResponse(code: "unauthorized", message: "unknown credential; enroll this replica")
            )
        }
        do {
            // The hub's own body reader: gzip bodies (pushes of 1 KiB or more) are inflated.
            let input = try await JSONBody.decode(Input.self, from: request, limit: 64 << 20, code: .invalidArgument)
            return Self.json(200, try await work(input))
        } catch let error as SyncError {
            return Self.json(400, ErrorResponse(code: error.code.description, message: error.message))
        }
    }

    private static func json(_ status: Int, _ value: some Encodable) -> Response {
        Response(
            status: .init(code: status),
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try! JSONEncoder().encode(value)))
        )
    }
}
