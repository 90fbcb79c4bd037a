import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP socket to 127.0.0.1, to send requests no HTTP client would (another `Host`,
/// a stalled body) and to see when the server closes the connection.
///
/// ```swift
/// let socket = try LoopbackSocket(port: port)
/// let answer = try await socket.exchange("GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
/// ```
public struct LoopbackSocket: Sendable {
    /// A failed system call.
    public struct Failure: Error {
        /// The call.
        public let call: String
    }

    /// The socket.
    public let descriptor: Int32

    /// Connects to a loopback port.
    ///
    /// - Parameter port: The port.
    /// - Throws: ``Failure`` when the connection fails.
    public init(port: Int) throws {
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
        guard result == 0 else {
            _ = systemClose(descriptor)
            throw Failure(call: "connect")
        }
    }

    /// Sends text as it is.
    ///
    /// - Parameter text: The bytes to send, as UTF-8.
    /// - Throws: ``Failure`` when the write fails.
    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard sent == bytes.count else { throw Failure(call: "write") }
    }

    /// Reads, on a thread of its own, until the server closes the connection or the timeout passes.
    ///
    /// The timeout only ends a read that would otherwise hang; tests check whether the server
    /// closed, never how fast.
    ///
    /// - Parameter timeoutSeconds: When to give up reading.
    /// - Returns: Whether the server closed, and what it sent before.
    public func receiveUntilClosed(timeoutSeconds: Int) async -> (closed: Bool, received: String) {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let (closed, bytes) = readUntilClosed(timeoutSeconds: timeoutSeconds)
                continuation.resume(returning: (closed, String(decoding: bytes, as: UTF8.self)))
            }
            thread.start()
        }
    }

    /// Sends a whole request (with `Connection: close`) and reads the whole answer.
    ///
    /// - Parameter request: The request's bytes.
    /// - Returns: The answer's bytes, as text.
    /// - Throws: ``Failure`` when the write fails.
    public func exchange(_ request: String) async throws -> String {
        try send(request)
        return await receiveUntilClosed(timeoutSeconds: 60).received
    }

    /// Closes the socket.
    public func close() {
        _ = systemClose(descriptor)
    }

    private func readUntilClosed(timeoutSeconds: Int) -> (Bool, [UInt8]) {
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                received.append(contentsOf: buffer[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return (count == 0 || errno == ECONNRESET, received)
            }
        }
    }
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(descriptor)
    #else
    Darwin.close(descriptor)
    #endif
}
