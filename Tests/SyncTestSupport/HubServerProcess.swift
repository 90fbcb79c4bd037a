public import Foundation
import Synchronization

/// A `hub-server serve` process on a loopback port, with its own database, that a test can
/// enroll replicas on, kill and restart on the same port.
///
/// ```swift
/// let hub = try HubServerProcess()
/// let token = try await hub.enroll(commune: "tamanar")
/// let url = try await hub.start()
/// try await hub.kill()          // SIGKILL, as a power cut would
/// _ = try await hub.start()     // same database, same port
/// ```
public final class HubServerProcess: Sendable {
    /// The folder of the hub's files.
    public let folder: TemporaryDirectory
    /// The hub's database file (unused when the hub is on PostgreSQL).
    public let database: String
    /// The options naming the hub's database: `--db FILE` or `--postgres URL`.
    public let databaseArguments: [String]
    /// Variables given to every process of this hub (such as `ESSAOUIRA_SCHEMA_VERSION`).
    public let environment: [String: String]
    private let state = Mutex<(child: ChildProcess?, port: Int)>((nil, 0))

    /// Creates a hub with a fresh database folder (the database is created by the first command).
    ///
    /// - Parameter environment: Variables given to every process of this hub.
    /// - Throws: When the folder cannot be created.
    public init(environment: [String: String] = [:]) throws {
        folder = try TemporaryDirectory()
        database = folder.path("hub.sqlite")
        databaseArguments = ["--db", database]
        self.environment = environment
    }

    /// Creates a hub whose state is in a PostgreSQL database; several such hubs may share one.
    ///
    /// - Parameter postgres: The database's URL (see ``PostgresTestServer``).
    /// - Throws: When the folder cannot be created.
    public init(postgres: String) throws {
        folder = try TemporaryDirectory()
        database = folder.path("unused.sqlite")
        databaseArguments = ["--postgres", postgres]
        environment = [:]
    }

    /// The hub's base URL (meaningful once started).
    public var url: URL { URL(string: "http://127.0.0.1:\(state.withLock { $0.port })")! }

    /// The running server process, if any.
    public var process: ChildProcess? { state.withLock { $0.child } }

    /// Runs a `hub-server` command on the hub's database (`--db` is added).
    ///
    /// - Parameter arguments: The command and its options.
    /// - Returns: How it ended and what it printed.
    /// - Throws: When the program cannot be started.
    public func run(_ arguments: [String]) async throws -> ProgramResult {
        try await Programs.run(
            Programs.product("hub-server"),
            arguments + databaseArguments,
            environment: self.environment,
            folder: folder
        )
    }

    /// Enrolls a replica and returns its credential.
    ///
    /// - Parameter commune: The replica's commune.
    /// - Returns: The token to give to `replica-node init`.
    /// - Throws: ``ProgramFailure`` when enrollment fails.
    public func enroll(commune: String) async throws -> String {
        let result = try await run(["enroll", "--commune", commune, "--json"])
        guard result.succeeded,
            let object = try JSONSerialization.jsonObject(with: Data(result.stdoutBytes)) as? [String: Any],
            let token = object["token"] as? String
        else { throw ProgramFailure("hub-server enroll failed: \(result.stderr)") }
        return token
    }

    /// Starts the server and waits until it listens; on the port of the previous start, if any.
    ///
    /// - Parameters:
    ///   - environment: Variables for the server process (such as a fake clock).
    ///   - arguments: More options of `serve` (such as `--upstream`); without `--rate-limit`
    ///     in them, the limit is raised out of the way.
    /// - Returns: The hub's base URL.
    /// - Throws: ``ProgramFailure`` when it does not come up.
    @discardableResult
    public func start(environment: [String: String] = [:], arguments: [String] = []) async throws -> URL {
        let port = state.withLock { $0.port }
        var command = ["serve"] + databaseArguments + ["--host", "127.0.0.1", "--port", String(port)]
        command += ["--log-level", "warning"] + arguments
        if !arguments.contains("--rate-limit"), try await Self.hasRateLimit(folder: folder) {
            command += ["--rate-limit", "1000000"]
        }
        let child = try ChildProcess.spawn(
            Programs.product("hub-server"),
            command,
            environment: self.environment.merging(environment) { _, new in new },
            folder: folder
        )
        guard try await child.waitForOutput("listening on http://") else {
            throw ProgramFailure("hub-server did not start: \(child.stderrSoFar)")
        }
        let line = child.stdoutSoFar.split(separator: "\n").first { $0.contains("listening on") } ?? ""
        guard let bound = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        else { throw ProgramFailure("hub-server printed no port: \(line)") }
        state.withLock { $0 = (child, bound) }
        return url
    }

    /// Whether `hub-server serve` limits requests per credential (`--rate-limit`): the tests
    /// then raise the limit, since they sync many times more often than a replica does.
    private static func hasRateLimit(folder: TemporaryDirectory) async throws -> Bool {
        if let known = rateLimitSupport.withLock({ $0 }) { return known }
        let help = try await Programs.run(Programs.product("hub-server"), ["serve", "--help"], folder: folder)
        let supported = help.stdout.contains("--rate-limit")
        rateLimitSupport.withLock { $0 = supported }
        return supported
    }

    private static let rateLimitSupport = Mutex<Bool?>(nil)

    /// Kills the server with SIGKILL (no graceful shutdown) and waits for it to end.
    ///
    /// - Returns: How it ended.
    /// - Throws: `CancellationError`.
    @discardableResult
    public func kill() async throws -> ProgramResult? {
        try await end(SIGKILL)
    }

    /// Stops the server with SIGTERM (graceful shutdown) and waits for it to end.
    ///
    /// - Returns: How it ended.
    /// - Throws: `CancellationError`.
    @discardableResult
    public func stop() async throws -> ProgramResult? {
        try await end(SIGTERM)
    }

    private func end(_ signal: Int32) async throws -> ProgramResult? {
        guard let child = state.withLock({ $0.child }) else { return nil }
        child.kill(signal)
        let result = try await child.wait()
        state.withLock { $0.child = nil }
        return result
    }

    /// The hub's state digest, from `hub-server digest`.
    ///
    /// - Returns: 64 hex characters.
    /// - Throws: ``ProgramFailure`` when the command fails.
    public func digest() async throws -> String {
        let result = try await run(["digest"])
        guard result.succeeded else { throw ProgramFailure("hub-server digest failed: \(result.stderr)") }
        return result.trimmedOutput
    }
}
