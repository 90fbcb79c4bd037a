public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The fault-injecting proxy of `Tests/Tools/fault_proxy.py`, between replicas and a hub.
///
/// ```swift
/// let proxy = try await FaultProxy.start(upstream: hub.url, faults: .flaky(seed: 7), folder: folder)
/// try await laptop.initialize(commune: "tamanar", hub: proxy.url, token: token)
/// proxy.calm()    // no more random faults; latency and bandwidth stay
/// ```
public struct FaultProxy: Sendable {
    /// What the link does wrong.
    public struct Faults: Sendable {
        /// Probabilities per request, by the proxy's option name (`reset`, `truncate`…).
        public var probabilities: [String: Double] = [:]
        /// How long a stalled answer is held, in seconds.
        public var stallSeconds = 5.0
        /// Latency added in each direction, in milliseconds.
        public var latencyMillis = 0
        /// Bytes per second in each direction; 0 for no limit.
        public var bandwidth = 0
        /// The seed of the proxy's random choices.
        public var seed = 1

        /// Creates a set of faults.
        ///
        /// - Parameters:
        ///   - probabilities: Per-request probabilities by option name.
        ///   - stallSeconds: How long a stalled answer is held.
        ///   - latencyMillis: Latency in each direction.
        ///   - bandwidth: Bytes per second in each direction.
        ///   - seed: The seed of the random choices.
        public init(
            probabilities: [String: Double] = [:],
            stallSeconds: Double = 5,
            latencyMillis: Int = 0,
            bandwidth: Int = 0,
            seed: Int = 1
        ) {
            self.probabilities = probabilities
            self.stallSeconds = stallSeconds
            self.latencyMillis = latencyMillis
            self.bandwidth = bandwidth
            self.seed = seed
        }

        var arguments: [String] {
            var list = [
                "--stall-seconds", String(stallSeconds), "--latency-ms", String(latencyMillis),
                "--bandwidth", String(bandwidth), "--seed", String(seed),
            ]
            for (name, probability) in probabilities.sorted(by: { $0.key < $1.key }) {
                list += ["--\(name)", String(probability)]
            }
            return list
        }
    }

    /// The proxy process.
    public let process: ChildProcess
    /// The URL replicas use instead of the hub's.
    public let url: URL

    /// Starts a proxy in front of `upstream`.
    ///
    /// - Parameters:
    ///   - upstream: The hub's URL.
    ///   - faults: What the link does wrong.
    ///   - folder: Where the proxy's output files go.
    /// - Returns: The running proxy.
    /// - Throws: ``ProgramFailure`` when `python3` is missing or the proxy does not start.
    public static func start(upstream: URL, faults: Faults, folder: TemporaryDirectory) async throws -> FaultProxy {
        guard let python = Programs.tool("python3") else {
            throw ProgramFailure("python3 is not installed; run scripts/install-deps.sh")
        }
        let target = "\(upstream.host ?? "127.0.0.1"):\(upstream.port ?? 80)"
        let child = try ChildProcess.spawn(
            python,
            [Programs.testTool("fault_proxy.py"), "--upstream", target] + faults.arguments,
            folder: folder
        )
        guard try await child.waitForOutput("listening "),
            let port = child.stdoutSoFar.split(separator: " ").last.flatMap({
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            })
        else { throw ProgramFailure("the fault proxy did not start: \(child.stderrSoFar)") }
        return FaultProxy(process: child, url: URL(string: "http://127.0.0.1:\(port)")!)
    }

    /// Turns the random faults off; latency and bandwidth stay.
    public func calm() { process.kill(SIGUSR1) }

    /// Turns the random faults back on.
    public func agitate() { process.kill(SIGUSR2) }

    /// The faults injected so far, by kind (`reset`, `stall`…).
    public var injected: [String: Int] {
        var counts: [String: Int] = [:]
        for line in process.stderrSoFar.split(separator: "\n") where line.hasPrefix("fault ") {
            let parts = line.split(separator: " ")
            if parts.count >= 2 { counts[String(parts[1]), default: 0] += 1 }
        }
        return counts
    }

    /// One request the proxy received.
    public struct Received: Hashable, Sendable {
        /// The request's path, such as `/v1/push`.
        public var path: String
        /// Its `Content-Encoding`, or `identity` without one.
        public var contentEncoding: String
        /// The length of its body as received.
        public var bodyBytes: Int
    }

    /// The requests received so far, in order.
    public var received: [Received] {
        process.stderrSoFar.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 4, parts[0] == "request", let bytes = Int(parts[3]) else { return nil }
            return Received(path: String(parts[1]), contentEncoding: String(parts[2]), bodyBytes: bytes)
        }
    }

    /// Stops the proxy.
    public func stop() async throws {
        process.kill(SIGTERM)
        _ = try await process.wait()
    }
}
