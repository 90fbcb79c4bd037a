public import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended and what it printed.
public struct ProgramResult: Sendable {
    /// The exit status, or 128 plus the signal that ended it.
    public var status: Int32
    /// The signal that ended it, if one did.
    public var signal: Int32?
    /// The standard output, as UTF-8 text.
    public var stdout: String
    /// The standard error, as UTF-8 text.
    public var stderr: String
    /// The standard output, byte for byte.
    public var stdoutBytes: [UInt8]
    /// The peak resident set size of the process, in KiB: the kernel's `VmHWM`, sampled while it
    /// ran (every few milliseconds of a wait, and whenever read).
    public var peakRSSKiB: Int

    /// Whether it exited with status 0.
    public var succeeded: Bool { status == 0 && signal == nil }

    /// The standard output without its surrounding white space.
    public var trimmedOutput: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// A program started with `posix_spawn`, whose standard output and error go to files.
///
/// Unlike `Foundation.Process`, it can be killed at any instant with any signal, and its peak
/// memory is read from the kernel (`VmHWM` of `/proc/PID/status`, sampled while it runs: the
/// `ru_maxrss` that `wait4` reports for a spawned child includes the parent's high-water mark,
/// which Linux carries across the exec, so it would report the test runner's memory). A
/// process still running when the value is released is killed, so a failed test leaves no
/// server behind.
///
/// ```swift
/// let child = try ChildProcess.spawn("/usr/bin/sleep", ["10"], folder: folder)
/// child.kill()
/// let result = try await child.wait()   // result.signal == SIGKILL
/// ```
public final class ChildProcess: Sendable {
    /// The process id.
    public let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String
    private let sampledPeak = Mutex(0)
    private let outcome = Mutex<(status: Int32, peak: Int)?>(nil)

    private init(pid: pid_t, stdoutPath: String, stderrPath: String) {
        self.pid = pid
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    /// Starts a program.
    ///
    /// - Parameters:
    ///   - executable: The program's path.
    ///   - arguments: Its arguments.
    ///   - environment: Variables added to (or replacing those of) this process's environment.
    ///   - folder: Where its output files go.
    /// - Returns: The running process.
    /// - Throws: `POSIXError` when it cannot be started.
    public static func spawn(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        folder: TemporaryDirectory
    ) throws -> ChildProcess {
        let name = UUID().uuidString
        let out = folder.path("out-\(name)")
        let err = folder.path("err-\(name)")
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        let pid = try Spawner.spawn(
            executable,
            arguments: [executable] + arguments,
            environment: variables.map { "\($0.key)=\($0.value)" },
            stdout: out,
            stderr: err
        )
        return ChildProcess(pid: pid, stdoutPath: out, stderrPath: err)
    }

    /// Whether the process has not ended yet.
    public var isRunning: Bool { reap() == nil }

    /// Sends a signal, unless the process has already ended and been reaped.
    ///
    /// - Parameter signal: The signal; `SIGKILL` by default.
    public func kill(_ signal: Int32 = SIGKILL) {
        outcome.withLock { done in
            if done == nil { _ = deliver(signal, to: pid) }
        }
    }

    /// The peak resident set size so far, in KiB, or at exit once it has ended.
    public var peakRSSKiB: Int {
        if let done = outcome.withLock({ $0 }) { return done.peak }
        return samplePeak()
    }

    /// Reads `VmHWM` while the process runs and keeps the largest value seen.
    @discardableResult
    private func samplePeak() -> Int {
        let current = Self.highWaterMark(pid) ?? 0
        return sampledPeak.withLock { peak in
            peak = max(peak, current)
            return peak
        }
    }

    /// What the process has written to its standard error so far.
    public var stderrSoFar: String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    /// What the process has written to its standard output so far.
    public var stdoutSoFar: String {
        (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
    }

    /// Waits for the process to end.
    ///
    /// - Returns: How it ended and what it printed.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func wait() async throws -> ProgramResult {
        while true {
            if let done = reap() {
                let out = (try? Data(contentsOf: URL(fileURLWithPath: stdoutPath))) ?? Data()
                let signal = done.status & 0x7F
                return ProgramResult(
                    status: signal == 0 ? (done.status >> 8) & 0xFF : 128 + signal,
                    signal: signal == 0 ? nil : signal,
                    stdout: String(decoding: out, as: UTF8.self),
                    stderr: stderrSoFar,
                    stdoutBytes: Array(out),
                    peakRSSKiB: done.peak
                )
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until the standard output contains `text`, or the process ends.
    ///
    /// - Parameter text: The text awaited.
    /// - Returns: Whether the text appeared.
    /// - Throws: `CancellationError` when the task is cancelled.
    public func waitForOutput(_ text: String) async throws -> Bool {
        while isRunning {
            if stdoutSoFar.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return stdoutSoFar.contains(text)
    }

    /// Reaps the process if it has ended (once), keeping its status and peak memory.
    private func reap() -> (status: Int32, peak: Int)? {
        if outcome.withLock({ $0 }) == nil { samplePeak() }
        return outcome.withLock { done in
            if let done { return done }
            var status: Int32 = 0
            guard wait4(pid, &status, WNOHANG, nil) == pid else { return nil }
            done = (status, sampledPeak.withLock { $0 })
            return done
        }
    }

    /// `VmHWM` of `/proc/PID/status`, in KiB.
    static func highWaterMark(_ pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    deinit {
        if outcome.withLock({ $0 }) == nil {
            _ = deliver(SIGKILL, to: pid)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }
}

/// Sends a signal (the C function, which the method of the same name hides).
private func deliver(_ signal: Int32, to pid: pid_t) -> Int32 {
    kill(pid, signal)
}

/// `posix_spawn` with the standard streams redirected and default signal handling.
private enum Spawner {
    static func spawn(
        _ executable: String,
        arguments: [String],
        environment: [String],
        stdout: String,
        stderr: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // Nothing else of this process goes to the child: a socket of a server running in this
        // test process, inherited by a long-lived child, would stay open after the server closed
        // it (a client test waiting for that close would wait for the child instead).
        // (glibc 2.34's posix_spawn_file_actions_addclosefrom_np, which Swift's Glibc module does
        // not declare.)
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }
        return pid
    }
}
