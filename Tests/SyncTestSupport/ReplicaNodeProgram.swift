public import Foundation

/// The `replica-node` command line run against one replica database, as clerks and scripts do.
///
/// ```swift
/// let laptop = try ReplicaNodeProgram()
/// try await laptop.initialize(commune: "tamanar", hub: hub.url, token: token)
/// let id = try await laptop("proposal", "create", "--title", "…", "--body", "…").trimmedOutput
/// ```
public struct ReplicaNodeProgram: Sendable {
    /// The folder of the replica's files.
    public let folder: TemporaryDirectory
    /// The database file.
    public let database: String
    /// Variables given to every process (such as a fake clock).
    public var environment: [String: String]

    /// Creates a replica in a fresh folder (its database is created by ``initialize(commune:hub:token:)``).
    ///
    /// - Parameters:
    ///   - name: The database file's name.
    ///   - environment: Variables given to every process.
    /// - Throws: When the folder cannot be created.
    public init(name: String = "replica.sqlite", environment: [String: String] = [:]) throws {
        folder = try TemporaryDirectory()
        database = folder.path(name)
        self.environment = environment
    }

    /// Creates a replica whose database lives elsewhere (on another disk), its output files in `folder`.
    ///
    /// - Parameters:
    ///   - database: The database file.
    ///   - folder: Where the processes' output files go.
    ///   - environment: Variables given to every process.
    public init(database: String, folder: TemporaryDirectory, environment: [String: String] = [:]) {
        self.folder = folder
        self.database = database
        self.environment = environment
    }

    /// Runs a command on this replica (`--db` is added) and waits for it.
    ///
    /// - Parameter arguments: The command and its options.
    /// - Returns: How it ended and what it printed.
    /// - Throws: When the program cannot be started.
    public func callAsFunction(_ arguments: String...) async throws -> ProgramResult {
        try await run(arguments)
    }

    /// Runs a command on this replica (`--db` is added) and waits for it.
    ///
    /// - Parameters:
    ///   - arguments: The command and its options.
    ///   - environment: Variables for this run, over ``environment``.
    ///   - clock: A wrong clock for this run, as a ``FakeClock`` offset such as `+1900d`.
    /// - Returns: How it ended and what it printed.
    /// - Throws: When the program cannot be started.
    public func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        clock: String? = nil
    ) async throws -> ProgramResult {
        try await spawn(arguments, environment: environment, clock: clock).wait()
    }

    /// Starts a command on this replica (`--db` is added) without waiting for it.
    ///
    /// - Parameters:
    ///   - arguments: The command and its options.
    ///   - environment: Variables for this run, over ``environment``.
    ///   - clock: A wrong clock for this run, as a ``FakeClock`` offset such as `+1900d`.
    /// - Returns: The running process.
    /// - Throws: When the program cannot be started.
    public func spawn(
        _ arguments: [String],
        environment: [String: String] = [:],
        clock: String? = nil
    ) throws -> ChildProcess {
        var command = [Programs.product("replica-node")] + arguments + ["--db", database]
        var variables = self.environment.merging(environment) { _, new in new }
        if let clock {
            command = try FakeClock.command(clock) + command
            variables["FAKETIME_DONT_FAKE_MONOTONIC"] = "1"
        }
        return try ChildProcess.spawn(command[0], Array(command.dropFirst()), environment: variables, folder: folder)
    }

    /// Sets the replica up for a commune, a hub and a credential.
    ///
    /// - Parameters:
    ///   - commune: The commune.
    ///   - hub: The hub's URL.
    ///   - token: The credential from `hub-server enroll`.
    /// - Throws: ``ProgramFailure`` when `init` fails.
    public func initialize(commune: String, hub: URL, token: String) async throws {
        let tokenFile = folder.path("hub-\(UUID().uuidString).token")
        guard
            FileManager.default.createFile(
                atPath: tokenFile,
                contents: Data(token.utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw ProgramFailure("cannot write the token file \(tokenFile)") }
        let result = try await run([
            "init", "--commune", commune, "--hub", hub.absoluteString, "--token-file", tokenFile,
        ])
        guard result.succeeded else { throw ProgramFailure("replica-node init failed: \(result.stderr)") }
    }

    /// The replica's digest, from `replica-node digest`.
    ///
    /// - Returns: 64 hex characters.
    /// - Throws: ``ProgramFailure`` when the command fails.
    public func digest() async throws -> String {
        let result = try await run(["digest"])
        guard result.succeeded else { throw ProgramFailure("replica-node digest failed: \(result.stderr)") }
        return result.trimmedOutput
    }

    /// The ids and titles of the proposals this replica holds, from its canonical export.
    ///
    /// - Returns: One entry per proposal, in the export's order.
    /// - Throws: ``ProgramFailure`` when the export fails.
    public func proposals() async throws -> [(id: String, title: String)] {
        let result = try await run(["export", "--format", "json"])
        guard result.succeeded else { throw ProgramFailure("replica-node export failed: \(result.stderr)") }
        return try CanonicalExport.proposals(Data(result.stdoutBytes))
    }
}

/// Reads the canonical JSON export (`replica-node export --format json`, `hub-server export`).
public enum CanonicalExport {
    /// The ids and titles of the proposals in an export.
    ///
    /// - Parameter data: The export's bytes.
    /// - Returns: One entry per proposal.
    /// - Throws: ``ProgramFailure`` when the bytes are not an export.
    public static func proposals(_ data: Data) throws -> [(id: String, title: String)] {
        try records(data, table: "proposal").map { ($0["id"] as? String ?? "", $0["title"] as? String ?? "") }
    }

    /// The records of one table in an export.
    ///
    /// - Parameters:
    ///   - data: The export's bytes.
    ///   - table: The table.
    /// - Returns: The records as JSON objects.
    /// - Throws: ``ProgramFailure`` when the bytes are not an export.
    public static func records(_ data: Data, table: String) throws -> [[String: Any]] {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let tables = root["tables"] as? [String: Any], let rows = tables[table] as? [[String: Any]]
        else { throw ProgramFailure("not a canonical export") }
        return rows
    }
}

/// A wrong clock for a child process, through Debian's `faketime` (libfaketime).
///
/// The `faketime` launcher is used rather than `LD_PRELOAD` alone: preloaded without it, the
/// library hides the command line from Swift programs (they see no arguments).
public enum FakeClock {
    /// The command that runs a program with its wall clock moved by `offset` (such as `+5y`, `-2h`).
    ///
    /// Monotonic clocks stay true when `FAKETIME_DONT_FAKE_MONOTONIC=1` is set, so timeouts keep
    /// their length.
    ///
    /// - Parameter offset: libfaketime's relative offset: a sign, a number and `s`, `m`, `h` or `d`.
    /// - Returns: The launcher and its options, to put before the program and its arguments.
    /// - Throws: ``ProgramFailure`` when `faketime` is not installed.
    public static func command(_ offset: String) throws -> [String] {
        guard let launcher = Programs.tool("faketime") else {
            throw ProgramFailure("faketime is missing; run scripts/install-deps.sh")
        }
        return [launcher, "-f", offset]
    }
}
