import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HubServer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client that opens a request and stalls is disconnected after the idle timeout, so slow or
/// silent connections cannot hold the hub's resources.
@Suite(.serialized) struct SlowClientTests {
    @Test func stalledRequest_afterHeaders_isClosedByIdleTimeout() async throws {
        let fixture = try HubFixture()
        let token = try fixture.enroll("ounagha")
        try await fixture.makeApp(idleTimeout: .seconds(1)).test(.live) { client in
            let port = try #require(client.port)
            let socket = try RawSocket(port: port)
            defer { socket.close() }
            try socket.send(
                "POST /v1/pull HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"vector\":"
            )
            // Closed by the hub (the 1 s idle timeout), not by this side's 15 s receive timeout.
            let outcome = await socket.receiveUntilClosedOnAThread(timeoutSeconds: 15)
            #expect(outcome.closed, "the hub kept a stalled connection open")
        }
    }

    @Test func silentConnection_isClosedByIdleTimeout() async throws {
        let fixture = try HubFixture()
        try await fixture.makeApp(idleTimeout: .seconds(1)).test(.live) { client in
            let socket = try RawSocket(port: try #require(client.port))
            defer { socket.close() }
            #expect(await socket.receiveUntilClosedOnAThread(timeoutSeconds: 15).closed)
        }
    }
}

/// A blocking TCP socket to 127.0.0.1, enough to play a slow client.
struct RawSocket {
    struct Failure: Error { let call: String }

    let descriptor: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(call: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else { throw Failure(call: "connect") }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard sent == bytes.count else { throw Failure(call: "write") }
    }

    /// Reads until the peer closes the connection or the timeout passes.
    ///
    /// - Returns: Whether the peer closed, and what it sent before.
    func receiveUntilClosed(timeoutSeconds: Int) -> (closed: Bool, received: [UInt8]) {
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                // A signal (a child process of another test ending) interrupted the read: not a close.
                continue
            } else {
                return (count == 0 || errno == ECONNRESET, received)
            }
        }
    }

    /// ``receiveUntilClosed(timeoutSeconds:)`` on a thread of its own: the blocking read must not
    /// hold one of the few threads that run the tests' and the hub's async work (two on a
    /// two-core machine), or the hub under test may not get to close the connection.
    func receiveUntilClosedOnAThread(timeoutSeconds: Int) async -> (closed: Bool, received: [UInt8]) {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: receiveUntilClosed(timeoutSeconds: timeoutSeconds)) }
            thread.start()
        }
    }

    func close() {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }
}
